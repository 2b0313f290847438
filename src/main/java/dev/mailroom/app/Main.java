package dev.mailroom.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: {@code serve} runs everything; {@code check} works locally; the rest talk to a running server. */
@Command(name = "mailroom", mixinStandardHelpOptions = true, version = "Mailroom 0.1.0",
        description = "Self-hosted, multi-tenant email sending.",
        subcommands = {ServeCommand.class, TenantCommand.class, DomainCommand.class, SendCommand.class, CheckCommand.class,
                ExportCommand.class, UserCommand.class})
public final class Main {
    static final int EXIT_FAILED = 1;
    static final int EXIT_CONFIG = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(switch (e) {
                case ApiClient.Failure failure -> failure.getMessage();
                case ConfigException config -> config.getMessage();
                default -> "error: " + e;
            });
            return e instanceof ConfigException ? EXIT_CONFIG : EXIT_FAILED;
        });
    }

    /** Options of every command that calls the API. */
    static final class Connection {
        @Option(names = "--url", description = "Mailroom's HTTP address (default: $MAILROOM_URL or ${DEFAULT-VALUE}).",
                defaultValue = "${env:MAILROOM_URL:-http://127.0.0.1:8025}")
        String url;

        @Option(names = "--key", description = "API key (default: $MAILROOM_API_KEY).", defaultValue = "${env:MAILROOM_API_KEY}")
        String key;

        ApiClient client() {
            return new ApiClient(url, key);
        }
    }

    /** Prints API answers as indented JSON. */
    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
