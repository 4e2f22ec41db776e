package dev.pdq.blas;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static dev.pdq.blas.Transpose.NO;
import static dev.pdq.blas.Transpose.YES;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One invalid argument per case, on every backend: IllegalArgumentException naming the routine and argument. */
class BlasArgumentsTest {

    /** Valid operands: A 4 x 6, x of 6, y of 4; for sgemm A 4 x 6, B 6 x 5, C 4 x 5. */
    private record Ops(Blas blas, FloatBuffer a, FloatBuffer x, FloatBuffer y, FloatBuffer b, FloatBuffer c) {
        static Ops of(BlasBackends.Backend be) {
            return new Ops(be.blas(), be.allocate(24), be.allocate(6), be.allocate(4), be.allocate(30),
                    be.allocate(20));
        }
    }

    private static Arguments gemv(String label, String expected, BiConsumer<Ops, Blas> call) {
        return Arguments.of(label, "sgemv: " + expected, call);
    }

    private static Arguments gemm(String label, String expected, BiConsumer<Ops, Blas> call) {
        return Arguments.of(label, "sgemm: " + expected, call);
    }

    static Stream<Arguments> invalid() {
        List<Arguments> all = new ArrayList<>();
        BlasBackends.backendLabels().forEach(be -> {
            all.add(gemv(be, "trans is null", (o, b) -> b.sgemv(null, 4, 6, 1f, o.a, 0, 6, o.x, 0, 0f, o.y, 0)));
            all.add(gemv(be, "m = -1", (o, b) -> b.sgemv(NO, -1, 6, 1f, o.a, 0, 6, o.x, 0, 0f, o.y, 0)));
            all.add(gemv(be, "n = -2", (o, b) -> b.sgemv(NO, 4, -2, 1f, o.a, 0, 6, o.x, 0, 0f, o.y, 0)));
            all.add(gemv(be, "lda = 5", (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 5, o.x, 0, 0f, o.y, 0)));
            all.add(gemv(be, "lda = 0", (o, b) -> b.sgemv(NO, 0, 0, 1f, o.a, 0, 0, o.x, 0, 0f, o.y, 0)));
            all.add(gemv(be, "a is null", (o, b) -> b.sgemv(NO, 4, 6, 1f, null, 0, 6, o.x, 0, 0f, o.y, 0)));
            all.add(gemv(be, "x is null", (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 6, null, 0, 0f, o.y, 0)));
            all.add(gemv(be, "y is null", (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 6, o.x, 0, 0f, null, 0)));
            all.add(gemv(be, "a offset = -1", (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, -1, 6, o.x, 0, 0f, o.y, 0)));
            all.add(gemv(be, "x offset = -1", (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 6, o.x, -1, 0f, o.y, 0)));
            all.add(gemv(be, "y offset = -1", (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 6, o.x, 0, 0f, o.y, -1)));
            all.add(gemv(be, "a needs 24 floats from offset 1",
                    (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 1, 6, o.x, 0, 0f, o.y, 0)));
            all.add(gemv(be, "a needs 27 floats from offset 0",
                    (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 7, o.x, 0, 0f, o.y, 0)));
            all.add(gemv(be, "x needs 6 floats from offset 1",
                    (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 6, o.x, 1, 0f, o.y, 0)));
            all.add(gemv(be, "y needs 6 floats from offset 0", // transposed: y has n = 6
                    (o, b) -> b.sgemv(YES, 4, 6, 1f, o.a, 0, 6, o.y, 0, 0f, o.x.duplicate().limit(4).slice(), 0)));
            all.add(gemv(be, "y is read-only",
                    (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 6, o.x, 0, 0f, o.y.asReadOnlyBuffer(), 0)));

            all.add(gemm(be, "transA is null",
                    (o, b) -> b.sgemm(null, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "transB is null",
                    (o, b) -> b.sgemm(NO, null, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "m = -4", (o, b) -> b.sgemm(NO, NO, -4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "n = -5", (o, b) -> b.sgemm(NO, NO, 4, -5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "k = -6", (o, b) -> b.sgemm(NO, NO, 4, 5, -6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "lda = 5 < max(1, 6)",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 5, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "lda = 3 < max(1, 4)", // A stored k x m = 6 x 4
                    (o, b) -> b.sgemm(YES, NO, 4, 5, 6, 1f, o.a, 0, 3, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "ldb = 4 < max(1, 5)",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 4, 0f, o.c, 0, 5)));
            all.add(gemm(be, "ldb = 5 < max(1, 6)", // B stored n x k = 5 x 6
                    (o, b) -> b.sgemm(NO, YES, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "ldc = 4 < max(1, n = 5)",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, 0, 4)));
            all.add(gemm(be, "a is null", (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, null, 0, 6, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "b is null", (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, null, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "c is null", (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, null, 0, 5)));
            all.add(gemm(be, "a offset = -2",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, -2, 6, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "b offset = -2",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, -2, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "c offset = -2",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, -2, 5)));
            all.add(gemm(be, "a needs 24 floats from offset 3",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 3, 6, o.b, 0, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "b needs 30 floats from offset 1",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 1, 5, 0f, o.c, 0, 5)));
            all.add(gemm(be, "c needs 20 floats from offset 1",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, 1, 5)));
            all.add(gemm(be, "c needs 23 floats from offset 0",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c, 0, 6)));
            all.add(gemm(be, "c is read-only",
                    (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, o.c.asReadOnlyBuffer(), 0, 5)));
        });
        // the native backend computes in place on native memory: heap or wrong-order buffers are refused
        FloatBuffer heap = FloatBuffer.allocate(30);
        FloatBuffer swapped = ByteBuffer.allocateDirect(30 * Float.BYTES)
                .order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                .asFloatBuffer();
        all.add(gemv("native", "a is a heap buffer",
                (o, b) -> b.sgemv(NO, 4, 6, 1f, heap, 0, 6, o.x, 0, 0f, o.y, 0)));
        all.add(gemv("native", "x is a heap buffer",
                (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 6, heap, 0, 0f, o.y, 0)));
        all.add(gemv("native", "y is a heap buffer",
                (o, b) -> b.sgemv(NO, 4, 6, 1f, o.a, 0, 6, o.x, 0, 0f, heap, 0)));
        all.add(gemm("native", "b is a heap buffer",
                (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, heap, 0, 5, 0f, o.c, 0, 5)));
        all.add(gemm("native", "c is in " + swapped.order() + " byte order",
                (o, b) -> b.sgemm(NO, NO, 4, 5, 6, 1f, o.a, 0, 6, o.b, 0, 5, 0f, swapped, 0, 5)));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalid")
    void rejected(String label, String expected, BiConsumer<Ops, Blas> call) {
        BlasBackends.Backend be = BlasBackends.backend(label);
        Ops ops = Ops.of(be);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.accept(ops, be.blas()));
        assertTrue(e.getMessage().startsWith(expected.substring(0, expected.indexOf(':') + 1))
                        && e.getMessage().contains(expected.substring(expected.indexOf(':') + 2)),
                "message '" + e.getMessage() + "' should name " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pdq.blas.BlasBackends#backendLabels")
    void negativeAllocationRejected(String label) {
        Blas blas = BlasBackends.backend(label).blas();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> blas.allocate(-1));
        assertTrue(e.getMessage().contains("length = -1"), e.getMessage());
    }
}
