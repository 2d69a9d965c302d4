// Spark's regexp_replace, without Spark: every (pattern, replacement) pair applied in
// turn with java.util.regex, as Spark's RegExpReplace does. For test_mask_pii.py.
// Usage: java JavaRegexReplace.java IN OUT PATTERN REPLACEMENT [PATTERN REPLACEMENT ...]
// IN and OUT hold UTF-8 texts separated by NUL characters.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

public class JavaRegexReplace {
    public static void main(String[] args) throws Exception {
        List<String> texts = List.of(Files.readString(Path.of(args[0])).split("\0", -1));
        List<String> out = new ArrayList<>();
        for (String text : texts) {
            for (int i = 2; i < args.length; i += 2) {
                text = Pattern.compile(args[i]).matcher(text).replaceAll(args[i + 1]);
            }
            out.add(text);
        }
        Files.writeString(Path.of(args[1]), String.join("\0", out));
    }
}
