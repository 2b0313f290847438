package dev.mailroom.app;

import dev.mailroom.dns.CachingResolver;
import dev.mailroom.dns.DnsLookup;
import dev.mailroom.dns.spf.SpfEvaluator;
import dev.mailroom.dns.spf.SpfResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", description = "Look at any domain's DNS from here; needs no running server.",
        subcommands = {CheckCommand.Spf.class, CheckCommand.Domain.class})
final class CheckCommand {
    /** Which resolvers to ask. */
    static final class Resolvers {
        @Option(names = "--dns", paramLabel = "HOST:PORT", split = ",",
                description = "Resolvers to ask (default: $MAILROOM_DNS_SERVERS, else the system's).",
                defaultValue = "${env:MAILROOM_DNS_SERVERS:-}")
        List<String> servers = new ArrayList<>();

        DnsLookup lookup() {
            var addresses = servers.stream().filter(s -> !s.isBlank()).map(HostPort::parse)
                    .map(server -> new InetSocketAddress(server.host(), server.port())).toList();
            return new CachingResolver(addresses, Duration.ofSeconds(5));
        }
    }

    @Command(name = "spf", description = "Evaluate SPF (RFC 7208) for a client address and sender; prints the result, e.g. pass.")
    static final class Spf implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Resolvers resolvers;

        @Option(names = "--ip", required = true, description = "The connecting client's address.")
        String ip;

        @Option(names = "--sender", required = true, description = "The MAIL FROM address (empty for bounces: then --helo is checked).")
        String sender;

        @Option(names = "--helo", defaultValue = "", description = "The EHLO/HELO name.")
        String helo;

        @Override
        public Integer call() {
            InetAddress address;
            try {
                address = InetAddress.ofLiteral(ip);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--ip: '" + ip + "' is not an IP address");
            }
            var result = new SpfEvaluator(resolvers.lookup(), Clock.systemUTC()).check(address, sender, helo);
            spec.commandLine().getOut().println(result.code());
            var why = switch (result) {
                case SpfResult.Fail fail -> fail.explanation();
                case SpfResult.TempError error -> error.reason();
                case SpfResult.PermError error -> error.reason();
                default -> null;
            };
            if (why != null && !why.isEmpty()) {
                spec.commandLine().getErr().println(why);
            }
            return 0;
        }
    }

    @Command(name = "domain", description = "Report a domain's MX, SPF, DMARC and DKIM records.")
    static final class Domain implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Resolvers resolvers;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--selector", description = "DKIM selector to look up; repeatable (default: common selectors).")
        List<String> selectors = new ArrayList<>();

        @Override
        public Integer call() {
            var report = new DomainReport(resolvers.lookup());
            report.lines(name.toLowerCase(java.util.Locale.ROOT), selectors.isEmpty() ? DomainReport.COMMON_SELECTORS : selectors)
                    .forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }
}
