package dev.pdq.blas;

/** Run in a fresh JVM by OpenBlasCoreTypeTest: loads OpenBLAS with a core type and prints the core it runs. */
public final class CoreTypeProbe {

    private CoreTypeProbe() {
    }

    public static void main(String[] args) {
        System.out.println(OpenBlas.load(BlasOptions.DEFAULT.withCoreType(args[0])).coreName());
    }
}
