package io.streamroutes.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamPendingEntry;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What the notifications tests share, so that each test says only what differs: a client on the test's Redis
 * (emptied before each test), GreenMail on a free port (plain SMTP unless the test starts another relay) and
 * routes/notifications.yaml in the real application, started with the test's settings on top of these: the relay is
 * GreenMail without TLS, reads block 200 ms, failed entries are claimed again within a second. Everything started is
 * stopped after each test. Register it after the Redis extension:
 * <pre>
 * &#64;RegisterExtension static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();
 * &#64;RegisterExtension final NotificationsFixture notify = new NotificationsFixture(redis);
 * </pre>
 */
final class NotificationsFixture implements BeforeEachCallback, AfterEachCallback {

    static final String EVENTS = "notify:events";
    static final String GROUP = "notify-workers";
    static final String DEAD = "notify:dead-letter";

    private final EmbeddedRedisExtension redis;
    private Jedis jedis;
    private GreenMail greenMail;
    private ServerSetup relaySetup;
    private ScenarioApp app;

    /** {@code redis} null: the test brings its own Redis servers ({@link #startOn}) and has no {@link #jedis()}. */
    NotificationsFixture(EmbeddedRedisExtension redis) {
        this.redis = redis;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (redis != null) {
            jedis = new Jedis(redis.host(), redis.port());
            jedis.flushAll();
        }
        startGreenMail(new ServerSetup(EmbeddedRedis.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopApp();
        stopGreenMail();
        if (jedis != null) {
            jedis.close();
        }
    }

    Jedis jedis() {
        return jedis;
    }

    GreenMail greenMail() {
        return greenMail;
    }

    ScenarioApp app() {
        return app;
    }

    /** Replaces the running GreenMail (stopped first, closing its connections) by one with this setup. */
    GreenMail startGreenMail(ServerSetup setup) {
        stopGreenMail();
        setup.setServerStartupTimeout(30000); // the first SMTPS start loads the key store
        relaySetup = setup;
        greenMail = new GreenMail(setup);
        greenMail.start();
        return greenMail;
    }

    /** The relay down (its port stays the one the route is configured with). */
    void stopGreenMail() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    /** GreenMail (started again) on the same port: kept-open connections to the one before are gone. */
    void restartGreenMail() {
        startGreenMail(relaySetup.createCopy());
    }

    /** GreenMail's port, where the route sends its mail unless the test says otherwise. */
    int relayPort() {
        return relaySetup.getPort();
    }

    /** Starts the route with settings as key, value, key, value...; a value "" leaves that setting out. */
    ScenarioApp start(String... settings) throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            overrides.put(settings[i], settings[i + 1]);
        }
        return start(overrides);
    }

    ScenarioApp start(Map<String, String> settings) throws Exception {
        return startOn(redis.host(), redis.port(), settings);
    }

    /** Against another Redis (TLS, Sentinel): the Redis settings are the caller's. */
    ScenarioApp startOn(String redisHost, int redisPort, Map<String, String> settings) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("notify.smtp.host", "127.0.0.1");
        props.put("notify.smtp.port", Integer.toString(relayPort()));
        props.put("notify.smtp.security", "none");
        props.put("notify.block-ms", "200");
        props.put("notify.min-idle-time-ms", "500");
        props.put("notify.claim-interval-ms", "200");
        props.putAll(settings);
        props.values().removeIf(String::isEmpty); // "" = leave the setting out (application.properties has no default)
        stopApp();
        app = ScenarioApp.start(redisHost, redisPort, props, "routes/notifications.yaml");
        return app;
    }

    void stopApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    SmtpSender sender() {
        return app.context().getRegistry().lookupByNameAndType("notifySmtp", SmtpSender.class);
    }

    /** Adds an entry to notify:events with fields as name, value, name, value...; returns its id. */
    String xadd(String... fieldsAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            map.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return jedis.xadd(EVENTS, StreamEntryID.NEW_ENTRY, map).toString();
    }

    /** Until the group has read up to {@code lastId} and nothing is pending. */
    void awaitAllAcked(String lastId) {
        Await.allAcked(jedis, EVENTS, GROUP, lastId, Duration.ofSeconds(10));
    }

    /** Until {@code count} mails arrived; fails after 15 s. */
    void awaitMails(int count) throws InterruptedException {
        if (!greenMail.waitForIncomingEmail(15000, count)) {
            throw new AssertionError("expected " + count + " mails, received " + greenMail.getReceivedMessages().length);
        }
    }

    /** Until the one pending entry was delivered twice (the first delivery and a retry failed); none dead-lettered. */
    void awaitRetriedNotDeadLettered() {
        // GreenMail's handler threads throw on the handshakes a client refuses: not the test's failure
        await("two failed deliveries").dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).until(() -> {
            List<StreamPendingEntry> p = jedis.xpending(EVENTS, GROUP, XPendingParams.xPendingParams().count(10));
            return p.size() == 1 && p.get(0).getDeliveredTimes() >= 2;
        });
        assertEquals(List.of(), deadLetters());
    }

    long pending() {
        return jedis.xpending(EVENTS, GROUP).getTotal();
    }

    List<StreamEntry> deadLetters() {
        return jedis.xrange(DEAD, "-", "+");
    }

    MimeMessage mailTo(String address) throws Exception {
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            if (m.getRecipients(Message.RecipientType.TO)[0].toString().equals(address)) {
                return m;
            }
        }
        throw new AssertionError("no mail to " + address);
    }
}
