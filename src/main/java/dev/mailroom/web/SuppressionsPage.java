package dev.mailroom.web;

import dev.mailroom.feedback.Suppression;
import dev.mailroom.feedback.SuppressionCsv;
import dev.mailroom.feedback.SuppressionList;
import dev.mailroom.feedback.SuppressionReason;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.DomainDetails;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.ValidationException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /tenants/{id}/suppressions}: the tenant's suppression list, searched by address; agency
 * roles add and remove entries and import CSV (all or nothing, as {@code POST /v1/suppressions/import});
 * everyone who sees the tenant may export it (as {@code GET /v1/suppressions/export}).
 */
public final class SuppressionsPage {
    private static final int PAGE = 50;
    private final SuppressionList suppressions;
    private final DomainService domains;
    private final TenantLookup tenants;
    private final Templates templates;

    SuppressionsPage(SuppressionList suppressions, DomainService domains, TenantLookup tenants, Templates templates) {
        this.suppressions = suppressions;
        this.domains = domains;
        this.tenants = tenants;
        this.templates = templates;
    }

    /** An entry as the list shows it, its domain by name ({@code null}: every domain of the tenant). */
    public record Entry(String id, String email, String domainId, String domainName, String reason, Instant createdAt) {}

    /** What the add form was sent: shown again with the errors by field when refused. */
    public record AddForm(String email, String reason, String domainId, Map<String, String> errors) {
        static final AddForm EMPTY = new AddForm("", Forms.word(SuppressionReason.MANUAL), "", Map.of());
    }

    public record View(TenantSummary tenant, boolean canChange, String search, List<Entry> entries, String next,
            Map<String, String> domainNames, AddForm add, List<FieldError> importErrors, String notice) {
        public List<String> reasons() {
            return Forms.words(SuppressionReason.class);
        }

        public String path() {
            return TenantTab.SUPPRESSIONS.path(tenant.id());
        }

        public String nextLink() {
            return Links.withQuery(path(), "after", next, "email", search);
        }
    }

    void register(PageRoutes routes) {
        routes.get("/tenants/{id}/suppressions", (ctx, viewer) -> render(ctx, viewer, AddForm.EMPTY, List.of(), null));
        routes.get("/tenants/{id}/suppressions/export", (ctx, viewer) -> {
            var tenant = tenants.find(viewer, ctx.pathParam("id"));
            ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"suppressions.csv\"")
                    .result(SuppressionCsv.export(suppressions, Guards.tenantScope(viewer, tenant.id())));
        });
        routes.post("/tenants/{id}/suppressions", this::add);
        routes.post("/tenants/{id}/suppressions/{suppressionId}/remove", (ctx, viewer) -> {
            var tenant = tenants.find(viewer, ctx.pathParam("id"));
            Guards.requireChange(viewer);
            suppressions.delete(Guards.tenantScope(viewer, tenant.id()), ctx.pathParam("suppressionId"));
            ctx.redirect(TenantTab.SUPPRESSIONS.path(tenant.id()), HttpStatus.SEE_OTHER);
        });
        routes.post("/tenants/{id}/suppressions/import", this::importCsv);
    }

    private void add(Context ctx, Viewer viewer) {
        var tenant = tenants.find(viewer, ctx.pathParam("id"));
        Guards.requireChange(viewer);
        var form = new AddForm(ctx.formParam("email"), ctx.formParam("reason"), ctx.formParam("domain_id"), Map.of());
        try {
            var reason = Forms.choice("reason", SuppressionReason.class, form.reason(), null);
            if (reason == null) {
                throw new ValidationException("reason", "is required: one of " + String.join(", ", Forms.words(SuppressionReason.class)));
            }
            if (form.email() == null || form.email().isBlank()) {
                throw new ValidationException("email", "is required");
            }
            suppressions.add(Guards.tenantScope(viewer, tenant.id()), tenant.id(), blankToNull(form.domainId()), form.email(), reason);
            ctx.redirect(TenantTab.SUPPRESSIONS.path(tenant.id()), HttpStatus.SEE_OTHER);
        } catch (ValidationException refused) {
            ctx.status(422);
            render(ctx, viewer, new AddForm(form.email(), form.reason(), form.domainId(), Forms.errors(refused)), List.of(), null);
        }
    }

    private void importCsv(Context ctx, Viewer viewer) throws IOException {
        var tenant = tenants.find(viewer, ctx.pathParam("id"));
        Guards.requireChange(viewer);
        var file = ctx.uploadedFile("file");
        if (file == null) {
            ctx.status(422);
            render(ctx, viewer, AddForm.EMPTY, List.of(new FieldError("file", "is required: choose a CSV file")), null);
            return;
        }
        String text;
        try (var in = file.content()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            var imported = SuppressionCsv.importInto(suppressions, Guards.tenantScope(viewer, tenant.id()), tenant.id(), blankToNull(ctx.formParam("domain_id")), text);
            render(ctx, viewer, AddForm.EMPTY, List.of(), "Imported " + imported.lines() + " lines: " + imported.added() + " added, "
                    + imported.alreadySuppressed() + " already suppressed.");
        } catch (ValidationException refused) {
            ctx.status(422);
            render(ctx, viewer, AddForm.EMPTY, refused.errors(), null);
        }
    }

    private void render(Context ctx, Viewer viewer, AddForm add, List<FieldError> importErrors, String notice) {
        var tenant = tenants.find(viewer, ctx.pathParam("id"));
        var scope = Guards.tenantScope(viewer, tenant.id());
        var search = ctx.queryParam("email");
        var page = suppressions.list(scope, blankToNull(search), ctx.queryParam("after"), PAGE);
        var names = domainNames(scope);
        var entries = page.data().stream().map(entry -> entry(entry, names)).toList();
        templates.page(ctx, viewer, "Suppressions of " + tenant.name(), "suppressions.jte",
                new View(tenant, viewer.isAgency(), search == null ? "" : search, entries, page.nextCursor(), names, add, importErrors, notice));
    }

    private Map<String, String> domainNames(Scope scope) {
        var names = new LinkedHashMap<String, String>();
        Page.forEach((after, limit) -> domains.list(scope, after, limit),
                (DomainDetails details) -> names.put(details.domain().id(), details.domain().name() + " (" + Forms.word(details.domain().stream()) + ")"));
        return names;
    }

    private static Entry entry(Suppression entry, Map<String, String> names) {
        return new Entry(entry.id(), entry.email(), entry.domainId(), entry.domainId() == null ? null : names.getOrDefault(entry.domainId(), entry.domainId()),
                Forms.word(entry.reason()), entry.createdAt());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
