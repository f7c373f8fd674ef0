package dev.perfwatch.suggest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One comparison on a named fact: {@code {field: db_share, op: ">=", value: 0.5}}. Data, never code:
 * the operators are these, the values numbers or texts (a list for {@code in}).
 */
public final class Condition implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The comparisons a condition can make. */
    public enum Op {
        EQ("=="), NE("!="), GT(">"), GE(">="), LT("<"), LE("<="), IN("in"), EXISTS("exists");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        static Op of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            return null;
        }

        boolean numeric() {
            return this == GT || this == GE || this == LT || this == LE;
        }
    }

    public final String field;
    public final Op op;
    /** A Double, a String, or (for {@code in}) a list of them; null for {@code exists}. */
    public final Object value;

    Condition(String field, Op op, Object value) {
        this.field = field;
        this.op = op;
        this.value = value instanceof List ? new ArrayList<>((List<?>) value) : value;
    }

    public boolean test(Facts facts) {
        Object actual = facts.get(field);
        if (actual == null) {
            return false;
        }
        switch (op) {
            case EXISTS:
                return true;
            case EQ:
                return same(actual, value);
            case NE:
                return !same(actual, value);
            case IN:
                for (Object v : (List<?>) value) {
                    if (same(actual, v)) {
                        return true;
                    }
                }
                return false;
            default:
                if (!(actual instanceof Double)) {
                    return false;
                }
                double a = (Double) actual;
                double v = (Double) value;
                switch (op) {
                    case GT: return a > v;
                    case GE: return a >= v;
                    case LT: return a < v;
                    default: return a <= v;
                }
        }
    }

    private static boolean same(Object actual, Object expected) {
        if (actual instanceof Double && expected instanceof Double) {
            return ((Double) actual).doubleValue() == (Double) expected;
        }
        return actual.toString().equals(expected.toString());
    }

    /** describe()'s text, made once: the condition does not change (the catalogue's are checked at every profile window). */
    private transient String described;

    /** e.g. {@code db_share >= 0.5}. */
    public String describe() {
        if (described == null) {
            described = op == Op.EXISTS ? field + " exists" : field + " " + op.symbol + " " + format(value);
        }
        return described;
    }

    /** A value as conditions and reasons show it: whole numbers without a fraction, else four significant digits. */
    public static String format(Object v) {
        if (v instanceof Double) {
            double d = (Double) v;
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d)
                    : new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", d)).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }
}
