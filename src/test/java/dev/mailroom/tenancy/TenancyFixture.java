package dev.mailroom.tenancy;

import dev.mailroom.dkim.DkimKeyGenerator;
import dev.mailroom.dkim.MasterKey;
import dev.mailroom.dkim.SecretSealer;
import dev.mailroom.dns.RecordPlanner;
import dev.mailroom.events.EventLog;
import dev.mailroom.store.Database;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import java.time.Clock;

/** The tenancy services on a fresh test database, as the application wires them. */
final class TenancyFixture implements AutoCloseable {
    final TestDatabase.Instance instance;
    final Database database;
    final SecretSealer sealer = new SecretSealer(MasterKey.generate());
    final TenantRepository tenantRepository;
    final TenantService tenants;
    final EventLog events;
    final DomainRepository domainRepository;
    final DomainService domains;
    final ApiKeyRepository keyRepository;
    final ApiKeyService keys;
    final SmtpCredentialService credentials;

    TenancyFixture(TestDatabase kind) {
        this(kind, Clock.systemUTC());
    }

    TenancyFixture(TestDatabase kind, Clock clock) {
        instance = kind.create();
        database = instance.open();
        var ids = new Ids(clock);
        var jdbi = database.jdbi();
        tenantRepository = new TenantRepository(jdbi);
        tenants = new TenantService(tenantRepository, ids, clock);
        events = new EventLog(jdbi, ids, clock);
        domainRepository = new DomainRepository(jdbi, events);
        domains = new DomainService(domainRepository, tenants, new DkimKeyGenerator(), sealer,
                new RecordPlanner("mailroom.test"), new DomainAdvisor(), MonitorSchedule.DEFAULT, ids, clock);
        keyRepository = new ApiKeyRepository(jdbi);
        keys = new ApiKeyService(keyRepository, tenants, domains, ids, clock);
        credentials = new SmtpCredentialService(new SmtpCredentialRepository(jdbi), tenants, domains, ids, clock);
    }

    @Override
    public void close() throws Exception {
        database.close();
        instance.close();
    }
}
