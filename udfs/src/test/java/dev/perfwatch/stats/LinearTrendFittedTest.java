package dev.perfwatch.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;

/** The fitted value's standard error against commons-math's: sqrt(MSE (1/n + (x - mean x)^2 / Sxx)). */
class LinearTrendFittedTest {

    @Test
    void theFittedValuesStandardErrorIsCommonsMaths() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int trial = 0; trial < 50; trial++) {
            int n = 3 + rnd.nextInt(40);
            LinearTrend t = new LinearTrend();
            SimpleRegression reg = new SimpleRegression();
            double sumX = 0;
            for (int i = 0; i < n; i++) {
                double x = rnd.nextDouble() * 10;
                double y = 2 - 0.3 * x + rnd.nextGaussian();
                t.add(x, y);
                reg.addData(x, y);
                sumX += x;
            }
            double meanX = sumX / n;
            for (double x : new double[] {0, meanX, 12}) {
                double expected = Math.sqrt(reg.getMeanSquareError() * (1.0 / n + (x - meanX) * (x - meanX) / reg.getXSumSquares()));
                assertEquals(expected, t.fittedStdErr(t.fit(), x), 1e-9 * expected, "n " + n + ", x " + x);
            }
        }
    }
}
