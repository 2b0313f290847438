package dev.mailroom.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Renders the jte templates of src/main/jte, precompiled into classes at build time (no
 * compiler at run time). A page template takes two parameters, {@code Layout layout} and its
 * view model {@code view}, and wraps its content in {@code @template.layout(layout = layout, content = @`...`)}.
 */
public final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
    private final Assets assets;

    Templates(Assets assets) {
        this.assets = assets;
    }

    /** A whole page (status 200 unless the handler set another) in the layout, titled {@code title}. */
    public void page(Context ctx, Viewer viewer, String title, String template, Object view) {
        var output = new StringOutput();
        engine.render(template, Map.of("layout", new Layout(title, viewer, assets, ctx.path()), "view", view), output);
        ctx.html(output.toString());
    }

    /** A part of a page for htmx to swap in: a template with the one parameter {@code view}, without the layout. */
    public void fragment(Context ctx, String template, Object view) {
        var output = new StringOutput();
        engine.render(template, Map.of("view", view), output);
        ctx.html(output.toString());
    }
}
