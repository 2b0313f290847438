package dev.mailroom.smtp;

/** A command the session refuses, with the reply that says why; thrown out of argument parsing. */
final class Refusal extends Exception {
    private final transient SmtpReply reply;

    Refusal(int code, String enhanced, String text) {
        super(text, null, false, false);
        this.reply = SmtpReply.of(code, enhanced, text);
    }

    SmtpReply reply() {
        return reply;
    }
}
