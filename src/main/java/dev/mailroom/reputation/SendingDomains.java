package dev.mailroom.reputation;

import dev.mailroom.store.Page;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.Scope;
import java.util.ArrayList;
import java.util.List;

/** The domains the checks look at, read a page at a time. */
final class SendingDomains {
    private SendingDomains() {}

    /** Every domain within {@code scope} (all of them for the agency), whatever its status. */
    static List<Domain> all(DomainRepository domains, Scope scope) {
        var result = new ArrayList<Domain>();
        String cursor = null;
        do {
            var page = domains.list(scope, cursor, Page.MAX_LIMIT);
            result.addAll(page.data());
            cursor = page.nextCursor();
        } while (cursor != null);
        return result;
    }

    /** The domains mail is sent from now: verified ones. */
    static List<Domain> verified(DomainRepository domains) {
        return all(domains, Scope.AGENCY).stream().filter(Domain::sendable).toList();
    }
}
