{# Which column places a model's rows in the nightly run window: its YAML's
   `config: meta: run_window_column`, set on the incremental marts and the staging
   views they are rebuilt from; with `meta_key`, another meta entry of the model:
   `run_window_period_grain` (a model incremental by period) or, for the staging
   views, `run_window_text_column` (the column holding that timestamp's delivered
   text, for in_run_window's pre-filter). Looked up by the relation's name, so the
   map lives with each model instead of in get_where_subquery. #}
{% macro run_window_column(relation, meta_key='run_window_column') -%}
    {%- set identifier = (relation.identifier if relation.identifier is defined else '') | lower -%}
    {%- set found = namespace(column=none) -%}
    {#- The graph is empty while dbt parses; tests are rendered for real later. -#}
    {%- for node in (graph.nodes.values() if execute else []) -%}
        {%- if node.resource_type == 'model' and (node.alias | lower) == identifier -%}
            {%- set found.column = node.config.meta.get(meta_key) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(found.column) -%}
{%- endmacro %}
