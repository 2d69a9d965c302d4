{# A free-text column with its direct identifiers masked, so verbatims can be published
   and shared with every department: e-mail addresses become [email], long numbers
   (phone, card, account numbers) become [number]. This is the one definition of the
   rule; both engines run the same patterns (RE2 on DuckDB, Java on Spark: only the
   syntax both share), and every public text goes through it. Null stays null.

   - An e-mail address is a local part of letters, marks and digits of any script
     and !#$%&'*+/=?^_`{|}~.- then @ (or full-width ＠) then a domain of one or more
     labels (letters, marks, digits, _ -) joined by dots (. 。 ． ｡): Unicode and
     single-label domains (jürgen@münchen.de, root@localhost) included. Addresses
     are masked first, so the digits in one are not read as a number.
   - A number is at least 7 decimal digits of any script (ASCII, full-width,
     Arabic-Indic, ...), each two joined by up to 4 separator characters (white
     space, dashes, dots, slashes, brackets, full-width forms), optionally led by up
     to two of + ＋ and an opening bracket: +1 (555) 010-0199, +49 (0) 30 / 1234 -
     5678, ０９０－１２３４－５６７８, 4111 - 1111 - 1111 - 1111.
   - Kept: digit runs of 6 digits or fewer (order numbers, amounts like 1234.56,
     24/7, 2.3.2026) and times (a colon is not a separator: 10:30-11:45). Masked
     anyway, because their digits cannot be told from a phone number's: dates with
     a four-digit year (2026-03-02, 02/03/2026), long amounts (1234567.89) and
     ranges of long numbers (2025 - 2026).
   The patterns are block sets: a Jinja string literal would read \x as an escape. #}
{% macro mask_pii(text) -%}
    {%- set address_local_part -%}
        [\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~.-]+
    {%- endset -%}
    {%- set at_sign -%}
        [@\x{FF20}]
    {%- endset -%}
    {%- set domain_label -%}
        [\p{L}\p{M}\p{N}_-]+
    {%- endset -%}
    {%- set domain_dot -%}
        [.\x{3002}\x{FF0E}\x{FF61}]
    {%- endset -%}
    {%- set email = address_local_part ~ at_sign ~ domain_label
        ~ '(?:' ~ domain_dot ~ domain_label ~ ')*' -%}

    {%- set number_lead -%}
        [+\x{FF0B}\p{Ps}]{0,2}
    {%- endset -%}
    {%- set digit -%}
        \p{Nd}
    {%- endset -%}
    {%- set separator -%}
        [\x{09}-\x{0D}\p{Z}\p{Pd}\p{Ps}\p{Pe}./\x{2212}\x{FF0E}\x{FF0F}]
    {%- endset -%}
    {%- set number = number_lead ~ digit
        ~ '(?:' ~ separator ~ '{0,4}' ~ digit ~ '){6,}' -%}

    {{ replace_all_matches(
        replace_all_matches(text, email, '[email]'), number, '[number]'
    ) }}
{%- endmacro %}
