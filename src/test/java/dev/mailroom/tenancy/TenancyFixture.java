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

/** The tenancy services on a fresh test database, as the application wires them (also for the packages built on tenancy). */
public final class TenancyFixture implements AutoCloseable {
    public final TestDatabase.Instance instance;
    public final Database database;
    public final SecretSealer sealer = new SecretSealer(MasterKey.generate());
    public final TenantRepository tenantRepository;
    public final TenantService tenants;
    public final EventLog events;
    public final DomainRepository domainRepository;
    public final DomainService domains;
    public final ApiKeyRepository keyRepository;
    public final ApiKeyService keys;
    public final SmtpCredentialService credentials;

    public TenancyFixture(TestDatabase kind) {
        this(kind, Clock.systemUTC());
    }

    public TenancyFixture(TestDatabase kind, Clock clock) {
        instance = kind.create();
        database = instance.open();
        var ids = new Ids(clock);
        var jdbi = database.jdbi();
        events = new EventLog(jdbi, ids, clock);
        tenantRepository = new TenantRepository(jdbi, events);
        tenants = new TenantService(tenantRepository, ids, clock, "pool_starter");
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
