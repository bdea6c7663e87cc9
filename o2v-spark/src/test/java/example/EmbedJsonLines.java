package example;

import dev.o2v.spark.Object2VecEmbedder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Embeds side in0 of a JSON Lines file ({"id": 7, "in0": [6, 17, 4]}) into Parquet. */
public class EmbedJsonLines {
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("o2v-embed").getOrCreate();
    Dataset<Row> rows = spark.read()
        .schema("id BIGINT, in0 ARRAY<INT>") // without it, Spark reads the file twice
        .json(args[1]);
    new Object2VecEmbedder()
        .setSide("in0")
        .setInputCol("in0") // array of ids, or a string column for raw text
        .setModelDir(args[0]) // local path, SparkContext.addFile name, or hdfs:// s3a:// URI
        .setOutputCol("embedding") // array<float>; setOutputType("vector") for an ML Vector
        .transform(rows)
        .write()
        .option("parquet.enable.dictionary", "false") // floats never repeat; saves a third
        .mode("overwrite")
        .parquet(args[2]);
  }
}
