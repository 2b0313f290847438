package dev.mailroom.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Run Mailroom: HTTP API, DNS monitoring, and the mail services as they arrive.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "Configuration file (default: ./mailroom.yml when present).")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        var file = config != null ? config : Files.exists(Path.of("mailroom.yml")) ? Path.of("mailroom.yml") : null;
        var settings = ConfigLoader.load(file, System.getenv());
        var mailroom = Mailroom.start(settings, Clock.systemUTC(), System.out);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mailroom.close();
            stopped.countDown();
        }, "mailroom-shutdown"));
        stopped.await();
        return 0;
    }
}
