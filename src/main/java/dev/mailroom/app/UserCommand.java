package dev.mailroom.app;

import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "user", description = "Manage dashboard users.", subcommands = UserCommand.Add.class)
final class UserCommand {
    @Command(name = "add", description = "Add a dashboard user and print it as JSON. The password comes from $MAILROOM_PASSWORD, else a prompt.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Main.Connection connection;

        @Parameters(index = "0", paramLabel = "EMAIL")
        String email;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "agency_admin, agency_operator or client_viewer.")
        String role;

        @Option(names = "--tenant", paramLabel = "ID", description = "The one tenant a client_viewer sees.")
        String tenant;

        // not on the command line by default: a password there would sit in the shell's history and the process list
        @Option(names = "--password", arity = "0..1", interactive = true, hidden = true, defaultValue = "${env:MAILROOM_PASSWORD}")
        char[] password;

        @Override
        public Integer call() {
            var secret = password != null && password.length > 0 ? new String(password) : prompt();
            if (secret == null) {
                spec.commandLine().getErr().println("no password: set MAILROOM_PASSWORD, or run where Mailroom can prompt for one");
                return 1;
            }
            var body = new LinkedHashMap<String, Object>();
            body.put("email", email);
            body.put("password", secret);
            body.put("role", role);
            if (tenant != null) {
                body.put("tenant_id", tenant);
            }
            Main.printJson(spec.commandLine().getOut(), connection.client().post("/v1/users", body));
            return 0;
        }

        private static String prompt() {
            var console = System.console();
            if (console == null) {
                return null;
            }
            var typed = console.readPassword("Password for the new user: ");
            return typed == null || typed.length == 0 ? null : new String(typed);
        }
    }
}
