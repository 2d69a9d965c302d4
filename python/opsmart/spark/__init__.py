"""Apache Spark as a second engine for the dbt project (docs/spark.md).

`build_on_spark` loads landing files under the data contract and builds every model,
seed and test on a local Spark session (dbt-spark's session method); the three
Python steps run there as Arrow table functions over the same package code
(`opsmart.spark.udtfs`). `compare_exports` checks two builds' public tables equal.
PySpark is optional: `make install-spark` adds it, and only `build_on_spark` and
`register_udtfs` need it.
"""

from opsmart.spark.build import SparkBuild, build_on_spark
from opsmart.spark.compare import Difference, compare_exports, compare_tables

__all__ = [
    "Difference",
    "SparkBuild",
    "build_on_spark",
    "compare_exports",
    "compare_tables",
]
