package dev.mailroom.reputation;

import java.util.Set;

/** For checkers that see every subject on each run: what they no longer see is resolved. */
final class OpenAlerts {
    private OpenAlerts() {}

    /** Resolves the open alerts of {@code kind} whose subject is not among {@code still}; answers how many. */
    static int resolveExcept(Alerts alerts, String kind, Set<Alert.Subject> still, String why) {
        int resolved = 0;
        for (var alert : alerts.openOfKind(kind)) {
            var subject = new Alert.Subject(alert.tenantId(), alert.subjectKind(), alert.subjectId());
            if (!still.contains(subject) && alerts.resolve(subject, kind, why).isPresent()) {
                resolved++;
            }
        }
        return resolved;
    }
}
