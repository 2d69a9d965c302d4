{# Which column places a model's rows in the nightly run window: its YAML's
   `config: meta: run_window_column`, set on the incremental marts and the staging
   views they are rebuilt from; with `meta_key`, another meta entry of the model:
   `run_window_period_grain` (a model incremental by period) or, for the staging
   views, `run_window_instant_column` (the column holding that timestamp as raw holds
   it, for in_run_window's pre-filter). Looked up by the relation's name, so the
   map lives with each model instead of in get_where_subquery: a model's unique id
   is `model.<project>.<name>`, and its relation is named after it (the project
   sets no alias). One lookup, not a loop over the graph: get_where_subquery asks
   this for each data test of a nightly run, and a loop over its ~600 nodes cost a
   second of the night's dbt. #}
{% macro run_window_column(relation, meta_key='run_window_column') -%}
    {%- set identifier = (relation.identifier if relation.identifier is defined else '') | lower -%}
    {#- The graph is empty while dbt parses; tests are rendered for real later. -#}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ identifier) if execute else none -%}
    {%- do return(node.config.meta.get(meta_key) if node else none) -%}
{%- endmacro %}
