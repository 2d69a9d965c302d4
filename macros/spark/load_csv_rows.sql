{# dbt-spark 1.11's session method formats seed values into the SQL without escaping
   them, so a seed value with a quote (feedback_themes: "didn't listen") breaks the
   insert. This is dbt-spark's spark__load_csv_rows with each value written as an
   escaped literal instead of a binding. #}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(get_batch_size()) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    {%- set value = row[loop.index0] -%}
                    cast(
                        {%- if value is none -%}
                            null
                        {%- else -%}
                            '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
                        {%- endif %} as {{ type }})
                    {%- if not loop.last %},{% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
