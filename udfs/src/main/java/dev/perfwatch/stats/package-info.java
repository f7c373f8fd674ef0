/** Pure statistics used by the jobs and the SQL functions. No Flink imports in this package. */
package dev.perfwatch.stats;
