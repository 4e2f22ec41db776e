package dev.pdq.train.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "eval")
public final class EvalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
