"""The local Spark session the dbt project runs in (dbt-spark's `session` method).

dbt-spark's session method calls `SparkSession.builder.getOrCreate()` in the dbt
process, so whoever creates the session first decides its configuration. opsmart
creates it here, before dbt starts, with a persistent local Hive metastore (so the
warehouse outlives the process and can be read back), UTC as the session time zone
(the data contract's timestamps are UTC) and few shuffle partitions (two cores).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["spark_session", "stop_spark_session"]


def spark_session(spark_dir: Path, *, driver_memory: str = "2g") -> SparkSession:
    """Create (or return) the local session whose warehouse lives under `spark_dir`."""
    from pyspark.sql import SparkSession

    spark_dir = spark_dir.resolve()
    running = SparkSession.getActiveSession()
    if running is not None:
        # The warehouse and metastore of a session are fixed when it starts.
        configured = str(running.conf.get("spark.sql.warehouse.dir"))
        if Path(configured.removeprefix("file:")) != spark_dir / "warehouse":
            raise RuntimeError(
                f"this process already runs a Spark session on {configured}; "
                f"build {spark_dir} in another process"
            )
        return running
    spark_dir.mkdir(parents=True, exist_ok=True)
    metastore = spark_dir / "metastore_db"
    # Python workers (the table functions) must import opsmart: this interpreter's.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Derby's home (its log, its system files) is this build's folder, also in a child
    # process of another build, which inherits this variable: set, not defaulted.
    os.environ["SPARK_SUBMIT_OPTS"] = f"-Dderby.system.home={spark_dir}"
    builder = (
        SparkSession.builder.master(os.environ.get("OPSMART_SPARK_MASTER", "local[2]"))
        .appName("opsmart")
        .enableHiveSupport()
        .config("spark.sql.warehouse.dir", str(spark_dir / "warehouse"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={metastore};create=true",
        )
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # dbt prints the progress
        # dbt-spark turns ANSI mode off for every statement; the same here, so what
        # opsmart runs outside dbt (raw publish, UDFs) behaves as the models do.
        .config("spark.sql.ansi.enabled", "false")
    )
    return builder.getOrCreate()


def stop_spark_session(spark: SparkSession) -> None:
    """Stop the session and shut its Derby metastore down cleanly.

    Without this the metastore is left as the JVM dies with the Python process, and
    the next process that opens the same --spark-dir may fail to boot it (seen:
    Derby's "Failed to start database", a NullPointerException while booting).
    """
    jvm = spark.sparkContext._jvm
    spark.stop()
    if jvm is None:
        return
    # Derby answers a clean shutdown with an exception (SQLState XJ015), which py4j
    # wraps; where its driver is not visible here, it closes at the JVM's exit.
    with contextlib.suppress(Exception):
        jvm.java.sql.DriverManager.getConnection("jdbc:derby:;shutdown=true")
