package dev.perfwatch.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketIndexTest {

    private static final long INTERVAL = 300_000;

    /** Closed buckets at increasing starts with gaps (a sparse series' missing intervals), each with a mean. */
    private static List<Bucket> buckets(Random random, long first, int n) {
        List<Bucket> out = new ArrayList<>();
        long start = first;
        for (int i = 0; i < n; i++) {
            Bucket b = new Bucket(start, 8);
            for (int k = 0; k <= random.nextInt(5); k++) {
                b.add(start + k, 100 + 10 * random.nextGaussian(), 7);
            }
            b.trim();
            out.add(b);
            start += INTERVAL * (1 + (random.nextInt(4) == 0 ? random.nextInt(5) : 0));
        }
        return out;
    }

    @Test
    void searchesAndSublistsOfTheViewAreTheListsOwn() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            List<Bucket> all = buckets(random, random.nextInt(1000) * INTERVAL, random.nextInt(400));
            BucketIndex index = BucketIndex.of(all);
            assertTrue(index.indexes(all));
            int from = all.isEmpty() ? 0 : random.nextInt(all.size() + 1);
            int to = from + random.nextInt(all.size() - from + 1);
            List<Bucket> view = index.view(all, from, to);
            List<Bucket> plain = all.subList(from, to);
            assertEquals(plain, view);
            List<Bucket> iterated = new ArrayList<>();
            view.forEach(iterated::add);
            assertEquals(plain, iterated);
            assertEquals(plain, new ArrayList<>(view));
            assertThrows(UnsupportedOperationException.class, () -> {
                var it = view.iterator();
                if (it.hasNext()) {
                    it.next();
                    it.remove();
                } else {
                    view.add(new Bucket());
                }
            }, "a view changes nothing");
            for (int k = 0; k < 20; k++) {
                long start = all.isEmpty() ? 0 : all.get(0).start - INTERVAL + random.nextInt(all.size() * 6 + 3) * INTERVAL / 2;
                assertEquals(ChangeShape.firstAtOrAfter(new ArrayList<>(plain), start), ChangeShape.firstAtOrAfter(view, start),
                        "search for " + start + " in [" + from + ", " + to + ")");
                int a = random.nextInt(view.size() + 1);
                int b = a + random.nextInt(view.size() - a + 1);
                List<Bucket> sub = view.subList(a, b);
                assertTrue(sub instanceof BucketIndex.Indexed, "a sublist of the view carries the index");
                assertEquals(plain.subList(a, b), sub);
                assertEquals(ChangeShape.firstAtOrAfter(new ArrayList<>(plain.subList(a, b)), start), ChangeShape.firstAtOrAfter(sub, start));
                for (int i = 0; i < sub.size(); i++) {
                    assertEquals(sub.get(i).start, ((BucketIndex.Indexed) sub).start(i));
                    assertEquals(Double.doubleToRawLongBits(sub.get(i).mean), Double.doubleToRawLongBits(((BucketIndex.Indexed) sub).mean(i)));
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> view.get(view.size()));
            assertThrows(IndexOutOfBoundsException.class, () -> view.subList(0, view.size() + 1));
        }
    }

    @Test
    void keptInStepAsBucketsAreAppendedDroppedAndChanged() {
        Random random = new Random(12);
        List<Bucket> all = buckets(random, 0, 300);
        BucketIndex index = BucketIndex.of(all);
        for (int step = 0; step < 500; step++) {
            List<Bucket> moved = buckets(random, all.isEmpty() ? 0 : all.get(all.size() - 1).start + INTERVAL, random.nextInt(3));
            int drop = random.nextInt(4) == 0 ? random.nextInt(Math.min(all.size(), 13) + 1) : 0;
            all = new ArrayList<>(all.subList(drop, all.size()));
            all.addAll(moved);
            index.dropFirst(drop);
            index.append(moved);
            if (!all.isEmpty() && random.nextInt(5) == 0) { // a late part merged into a closed bucket
                int i = random.nextInt(all.size());
                Bucket late = new Bucket(all.get(i).start, 8);
                late.add(all.get(i).start + 1, 500 * random.nextDouble(), 7);
                all.get(i).merge(late);
                index.changed(i, all.get(i));
            }
            assertTrue(index.indexes(all), "step " + step);
            assertTrue(index.matches(all));
            assertSame(index, BucketIndex.over(all, index));
        }
        List<Bucket> other = buckets(random, 0, index.size());
        assertFalse(index.matches(other) && index.indexes(other));
        assertFalse(index.matches(all.subList(1, all.size())), "a list of another size is not the one indexed");
        BucketIndex rebuilt = BucketIndex.over(all.subList(1, all.size()), index);
        assertTrue(rebuilt.indexes(all.subList(1, all.size())));
    }
}
