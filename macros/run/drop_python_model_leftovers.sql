{# dbt-duckdb's incremental materialization writes a Python model's new rows to a
   plain table `<model>__dbt_tmp<timestamp>` in the connection's default schema (a
   DataFrame is written on a cursor of its own, which would not see a temporary
   table) and then, taking it for a temporary table, never drops it: each night
   would leave one more in the warehouse and in the published file analysts open.
   As the model's post-hook (after the merge, before the commit) this drops every
   such table of `relation`: this run's, and any an interrupted run left. Nothing
   for a SQL model: Spark builds the model's SQL twin under the same name. #}
{% macro drop_python_model_leftovers(relation) -%}
    {%- if execute and model.language == 'python' -%}
        {%- set leftovers = run_query(
            "select table_name from duckdb_tables()"
            ~ " where database_name = current_database()"
            ~ " and schema_name = current_schema()"
            ~ " and starts_with(table_name, '" ~ relation.identifier ~ "__dbt_tmp')"
            ~ " order by table_name"
        ) -%}
        {%- for name in leftovers.columns[0].values() %}
    drop table "{{ name }}";
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
