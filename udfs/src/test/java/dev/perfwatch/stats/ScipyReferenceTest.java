package dev.perfwatch.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every statistic against reference values from scipy/numpy, to 1e-9 relative. The references come
 * from src/test/resources/stats/make_fixtures.py (committed beside fixtures.json).
 */
class ScipyReferenceTest {

    private static final double REL = 1e-9;
    private static final JsonNode FIXTURES = load();

    private static JsonNode load() {
        try (InputStream in = ScipyReferenceTest.class.getResourceAsStream("/stats/fixtures.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[] array(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    static void close(JsonNode expected, double actual, String what) {
        if (expected == null || expected.isNull()) {
            assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
            return;
        }
        close(expected.asDouble(), actual, what);
    }

    static void close(double expected, double actual, String what) {
        if (expected == actual) {
            return;
        }
        double tolerance = REL * Math.max(Math.abs(expected), Math.abs(actual));
        if (!(Math.abs(expected - actual) <= Math.max(tolerance, 1e-300))) {
            fail(what + ": expected " + expected + ", got " + actual + " (relative error "
                    + Math.abs(expected - actual) / Math.abs(expected) + ")");
        }
    }

    private static Stream<DynamicTest> each(String section, java.util.function.Consumer<JsonNode> check) {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode cases = FIXTURES.get(section);
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String name = c.has("name") ? c.get("name").asText() : section + "-" + i;
            tests.add(DynamicTest.dynamicTest(name, () -> check.accept(c)));
        }
        assertTrue(tests.size() > 0);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> mannWhitneyExactBeyondAuto() {
        return each("mwu_exact", c -> {
            MannWhitneyU.Result m = MannWhitneyU.of(array(c.get("baseline")), array(c.get("comparison")), 16);
            assertTrue(m.exact(), c.get("name").asText() + " is tested exactly");
            close(c.get("u"), m.u(), c.get("name").asText() + " U");
            close(c.get("p"), m.pValue(), c.get("name").asText() + " exact p");
        });
    }

    @TestFactory
    Stream<DynamicTest> welchMannWhitneyAndEffectSizes() {
        assertTrue(FIXTURES.get("two_sample").size() >= 40, "at least 40 two-sample cases");
        return each("two_sample", c -> {
            double[] b = array(c.get("baseline"));
            double[] x = array(c.get("comparison"));
            String name = c.get("name").asText();
            WelchTest.Result w = WelchTest.of(b, x);
            close(c.get("welch").get("t"), w.t(), name + " welch t");
            close(c.get("welch").get("df"), w.df(), name + " welch df");
            close(c.get("welch").get("p"), w.pValue(), name + " welch p");
            Moments mb = Moments.of(b);
            Moments mc = Moments.of(x);
            WelchTest.Result fromMoments = WelchTest.fromMoments(mb.count(), mb.mean(), mb.sampleVariance(),
                    mc.count(), mc.mean(), mc.sampleVariance());
            close(c.get("welch").get("p"), fromMoments.pValue(), name + " welch p from moments");
            MannWhitneyU.Result m = MannWhitneyU.of(b, x);
            close(c.get("mann_whitney").get("u"), m.u(), name + " U");
            close(c.get("mann_whitney").get("p"), m.pValue(), name + " Mann-Whitney p (exact=" + m.exact() + ")");
            close(c.get("mann_whitney").get("z"), m.z(), name + " Mann-Whitney z");
            // Both samples sorted by the caller (as the regression detector passes them): the same test.
            double[] sb = java.util.Arrays.stream(b).filter(v -> !Double.isNaN(v)).sorted().toArray();
            double[] sx = java.util.Arrays.stream(x).filter(v -> !Double.isNaN(v)).sorted().toArray();
            MannWhitneyU.Result sorted = MannWhitneyU.ofSorted(sb, sx, MannWhitneyU.EXACT_MAX_SMALLER);
            close(c.get("mann_whitney").get("u"), sorted.u(), name + " U, samples sorted");
            close(c.get("mann_whitney").get("p"), sorted.pValue(), name + " Mann-Whitney p, samples sorted");
            close(c.get("cohens_d"), EffectSize.cohensD(b, x), name + " Cohen's d");
            close(c.get("common_language"), EffectSize.commonLanguage(m.u(), b.length, x.length), name + " CLES");
            // Allowing for values that are not independent (each mean's variance v times larger).
            assertTrue(c.get("inflated").size() >= 4, name + ": inflations");
            for (JsonNode i : c.get("inflated")) {
                double v = i.get("v").asDouble();
                WelchTest.Result wi = WelchTest.inflated(w, v);
                close(i.get("welch").get("t"), wi.t(), name + " welch t inflated " + v);
                close(i.get("welch").get("df"), wi.df(), name + " welch df inflated " + v);
                close(i.get("welch").get("p"), wi.pValue(), name + " welch p inflated " + v);
                MannWhitneyU.Result mi = MannWhitneyU.inflated(m, v);
                close(i.get("mann_whitney").get("z"), mi.z(), name + " Mann-Whitney z inflated " + v);
                close(i.get("mann_whitney").get("p"), mi.pValue(), name + " Mann-Whitney p inflated " + v);
                assertEquals(m.u(), mi.u(), name + " U unchanged by inflation " + v);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> linearTrendMatchesLinregress() {
        return each("trend", c -> {
            LinearTrend.Fit f = LinearTrend.of(array(c.get("x")), array(c.get("y")));
            String name = c.get("name").asText();
            close(c.get("slope"), f.slope(), name + " slope");
            close(c.get("intercept"), f.intercept(), name + " intercept");
            close(c.get("r2"), f.r2(), name + " r2");
            close(c.get("p"), f.pValue(), name + " p");
            close(c.get("stderr"), f.slopeStdErr(), name + " stderr");
            // The two-pass moments (the forecast's trend over a day of buckets) give the same fit, and its
            // slope and R^2 read before the fit (to skip the p-value) are the fit's.
            double[] x = array(c.get("x"));
            double[] y = array(c.get("y"));
            int n = 0;
            for (int i = 0; i < x.length; i++) {
                if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                    x[n] = x[i];
                    y[n] = y[i];
                    n++;
                }
            }
            LinearTrend twoPass = LinearTrend.twoPass(x, y, n);
            LinearTrend.Fit g = twoPass.fit();
            close(c.get("slope"), g.slope(), name + " slope, two passes");
            close(c.get("intercept"), g.intercept(), name + " intercept, two passes");
            close(c.get("r2"), g.r2(), name + " r2, two passes");
            // Near a perfect line the p-value is ill-conditioned: 1 - R^2 keeps about ulp / (1 - R^2) of its digits and p
            // goes as its (n - 2) / 2-th power (trend-6: 1 - R^2 = 5e-7; scipy's p is 5e-9 from the exact one, computed
            // with fractions and mpmath by exact_trend_p.py beside the fixtures, and both orders of summation some 1e-8):
            // compared within that.
            double conditioning = g.r2() < 1 ? 16 * (n - 2) / 2.0 * Math.ulp(1.0) / (1 - g.r2()) : 0;
            if (c.get("p") == null || c.get("p").isNull() || conditioning <= REL) {
                close(c.get("p"), g.pValue(), name + " p, two passes");
            } else {
                double expected = c.get("p").asDouble();
                assertEquals(expected, g.pValue(), conditioning * Math.abs(expected), name + " p, two passes (ill-conditioned)");
            }
            close(c.get("stderr"), g.slopeStdErr(), name + " stderr, two passes");
            assertEquals(g.slope(), twoPass.slope(), 0.0, name + " slope before the fit");
            assertEquals(g.r2(), twoPass.r2(), 0.0, name + " r2 before the fit");
        });
    }

    @TestFactory
    Stream<DynamicTest> changePointAndKolmogorovTail() {
        Stream<DynamicTest> points = each("change_point", c -> {
            ChangePoint.Result r = ChangePoint.of(array(c.get("x")));
            String name = c.get("name").asText();
            assertEquals(c.get("index").asInt(), r.index(), name + " index");
            close(c.get("mean_before"), r.meanBefore(), name + " mean before");
            close(c.get("mean_after"), r.meanAfter(), name + " mean after");
            close(c.get("statistic"), r.statistic(), name + " statistic");
            close(c.get("p"), r.pValue(), name + " p");
        });
        Stream<DynamicTest> tail = each("kolmogorov", c ->
                close(c.get("sf"), ChangePoint.kolmogorovSurvival(c.get("d").asDouble()), "kstwobign.sf(" + c.get("d") + ")"));
        return Stream.concat(points, tail);
    }

    @TestFactory
    Stream<DynamicTest> zScores() {
        return each("robust", c -> {
            double[] b = array(c.get("baseline"));
            double x = c.get("x").asDouble();
            close(c.get("z"), Robust.zScore(x, b), "z");
            close(c.get("robust_z"), Robust.robustZScore(x, b), "robust z");
        });
    }

    @TestFactory
    Stream<DynamicTest> seasonalityFromAutocorrelation() {
        return each("seasonality", c -> {
            Seasonality.Result r = Seasonality.of(array(c.get("x")));
            String name = c.get("name").asText();
            assertEquals(c.get("period").asInt(), r.period(), name + " period");
            close(c.get("strength"), r.strength(), name + " strength");
        });
    }

    @TestFactory
    Stream<DynamicTest> holtForecastsAndIntervals() {
        return each("holt", c -> {
            double[] y = array(c.get("y"));
            String name = c.get("name").asText();
            Forecast f = Forecast.holt(y, c.get("alpha").asDouble(), c.get("beta").asDouble());
            for (int i = 0; i < c.get("steps").size(); i++) {
                int h = c.get("steps").get(i).asInt();
                close(c.get("points").get(i), f.point(h), name + " point at " + h);
                close(c.get("half_widths").get(i), f.halfWidth(h, Forecast.Z95), name + " half-width at " + h);
            }
            close(c.get("best_sse"), Forecast.fitHolt(y).sse(), name + " fitted SSE");
        });
    }
}
