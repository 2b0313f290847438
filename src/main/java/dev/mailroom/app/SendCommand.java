package dev.mailroom.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mailroom send}: one message through POST /v1/messages, for trying a domain out and for scripts. */
@Command(name = "send", description = "Send a message through the API and print the receipt as JSON.")
final class SendCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    Main.Connection connection;

    @Option(names = "--from", required = true, paramLabel = "ADDRESS", description = "Sender, e.g. 'Shop <hello@news.clienta.com>'.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "Recipient; repeatable.")
    List<String> to = new ArrayList<>();

    @Option(names = "--subject", required = true, paramLabel = "TEXT")
    String subject;

    @Option(names = "--text", paramLabel = "TEXT", description = "Plain-text body.")
    String text;

    @Option(names = "--html", paramLabel = "HTML", description = "HTML body.")
    String html;

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag; repeatable.")
    List<String> tags = new ArrayList<>();

    @Override
    public Integer call() {
        var message = new LinkedHashMap<String, Object>();
        message.put("from", from);
        message.put("to", to);
        message.put("subject", subject);
        if (text != null) {
            message.put("text", text);
        }
        if (html != null) {
            message.put("html", html);
        }
        if (!tags.isEmpty()) {
            message.put("tags", tags);
        }
        Main.printJson(spec.commandLine().getOut(), connection.client().post("/v1/messages", message));
        return 0;
    }
}
