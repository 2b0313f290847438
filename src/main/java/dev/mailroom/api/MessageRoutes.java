package dev.mailroom.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.submission.IdempotencyKeys;
import dev.mailroom.submission.Receipt;
import dev.mailroom.submission.SendRequest;
import dev.mailroom.submission.Sender;
import dev.mailroom.submission.Submission;
import dev.mailroom.tenancy.ApiKey;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** {@code /v1/messages}: sending, one message or a batch, and reading a message's state. */
final class MessageRoutes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MessageRoutes.class);
    static final int MAX_BATCH = 500;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private final Submission submission;
    private final IdempotencyKeys idempotency;
    private final MessageRequests requests;
    private final ObjectMapper json;

    MessageRoutes(Submission submission, IdempotencyKeys idempotency, Clock clock, ObjectMapper json) {
        this.submission = submission;
        this.idempotency = idempotency;
        this.requests = new MessageRequests(clock);
        this.json = json;
    }

    /** A receipt as the API shows it. */
    record ReceiptView(String id, List<RecipientView> recipients) {
        record RecipientView(String email, String status, @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {}

        static ReceiptView of(Receipt receipt) {
            return new ReceiptView(receipt.id(), receipt.recipients().stream()
                    .map(r -> new RecipientView(r.email(), r.status(), r.reason())).toList());
        }
    }

    record BatchView(List<ReceiptView> data) {}

    void register(RouteTable routes) {
        routes.post("/v1/messages", this::send);
        routes.post("/v1/messages/batch", this::sendBatch);
        routes.get("/v1/messages/{id}", this::get);
        routes.post("/v1/messages/{id}/cancel", this::cancel);
    }

    private void send(Context ctx) {
        var key = Callers.require(ctx, Permission.SEND);
        idempotently(ctx, key, () -> {
            var body = Body.read(ctx, json, MessageRequests.FIELDS);
            var request = requests.read(body);
            body.finish();
            return ReceiptView.of(submission.send(sender(key), request));
        });
    }

    private void sendBatch(Context ctx) {
        var key = Callers.require(ctx, Permission.SEND);
        idempotently(ctx, key, () -> {
            var body = Body.read(ctx, json, "messages");
            var items = body.optionalObjectList("messages", MAX_BATCH, MessageRequests.FIELDS);
            if (items == null && !body.has("messages")) {
                body.error("messages", "is required: an array of 1 to " + MAX_BATCH + " messages");
            }
            var parsed = new ArrayList<SendRequest>();
            if (items != null) {
                if (items.isEmpty()) {
                    body.error("messages", "must hold at least one message");
                }
                items.forEach(item -> parsed.add(requests.read(item)));
            }
            body.finish();
            return new BatchView(submission.sendBatch(sender(key), parsed).stream().map(ReceiptView::of).toList());
        });
    }

    private void get(Context ctx) {
        var key = Callers.require(ctx, Permission.READ);
        var id = ctx.pathParam("id");
        ctx.json(submission.find(key.scope(), id).orElseThrow(() -> new NotFoundException("message", id)));
    }

    private void cancel(Context ctx) throws InterruptedException {
        var key = Callers.require(ctx, Permission.SEND);
        ctx.json(submission.cancel(key.scope(), ctx.pathParam("id")));
    }

    private static Sender sender(ApiKey key) {
        return new Sender(key.tenantId(), key.domainIds() == null ? null : java.util.Set.copyOf(key.domainIds()), "api");
    }

    /**
     * Answers 202 with what {@code work} returns. With an Idempotency-Key, a repeat of the same
     * request gets the first answer again (marked {@code Idempotent-Replayed: true}); only
     * accepted requests are remembered, so a refused one may be corrected and sent with the same key.
     */
    private void idempotently(Context ctx, ApiKey key, Supplier<Object> work) {
        var idempotencyKey = ctx.header("Idempotency-Key");
        if (idempotencyKey == null) {
            respond(ctx, work.get());
            return;
        }
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.badRequest("the Idempotency-Key header must be 1 to 255 printable ASCII characters");
        }
        var claim = idempotency.claim(key.id(), idempotencyKey, hash(ctx));
        switch (claim) {
            case IdempotencyKeys.Claim.Replay replay -> {
                ctx.header("Idempotent-Replayed", "true");
                ctx.status(replay.status()).contentType("application/json").result(replay.body());
            }
            case IdempotencyKeys.Claim.Conflict conflict -> throw new ApiException(Problem.of(409, "idempotency-conflict", "Conflict", conflict.detail()));
            case IdempotencyKeys.Claim.Fresh fresh -> {
                String answer;
                try {
                    answer = respond(ctx, work.get());
                } catch (RuntimeException e) {
                    idempotency.release(key.id(), idempotencyKey);
                    throw e;
                }
                try {
                    idempotency.complete(key.id(), idempotencyKey, 202, answer);
                } catch (RuntimeException e) {
                    // the mail is accepted: the answer stands; a retry after the claim's lease may send again
                    LOG.warn("could not keep the answer for Idempotency-Key '{}'", idempotencyKey, e);
                }
            }
        }
    }

    private String respond(Context ctx, Object answer) {
        try {
            var text = json.writeValueAsString(answer);
            ctx.status(202).contentType("application/json").result(text);
            return text;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
    }

    /** What makes two requests "the same": the endpoint and the exact body. */
    private static String hash(Context ctx) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update(ctx.path().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(ctx.bodyAsBytes());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
