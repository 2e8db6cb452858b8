package io.streamroutes.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real jar with every credential in the environment only (SMTP_USERNAME/SMTP_PASSWORD, PROVIDER_STRIPE_API_KEY,
 * REDIS_USERNAME/REDIS_PASSWORD): the SMTP server requires the login and gets it, the provider gets the bearer key, a
 * {@code -D} option overrides a variable; and no secret shows in the output, the metrics, the health answers, any
 * MBean attribute read over Jolokia, the dev consoles or the streams page.
 */
class SecretsJarIT {

    static final String SMTP_PASSWORD = "Smtp-S3cret-77a1";
    static final String API_KEY = "sk_live_Env-K3y-5d0c";
    static final String OVERRIDDEN_KEY = "sk_live_D-K3y-91be";
    static final String REDIS_PASSWORD = "Redis-S3cret-0b4e";
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "*/*").timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void credentialsComeFromTheEnvironmentAndNeverShow() throws Exception {
        int management = EmbeddedRedis.freePort();
        int server = EmbeddedRedis.freePort();
        int smtpPort = EmbeddedRedis.freePort();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        smtp.getManagers().getSmtpManager().getUserManager().setAuthRequired(true);
        smtp.setUser("mailer@localhost", "mailer", SMTP_PASSWORD);
        WireMockServer stripe = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        stripe.start();
        WireMockServer acme = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        acme.start();
        stripe.stubFor(post("/v1/charges").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"ch_1\"}")));
        acme.stubFor(post("/v1/charges").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"ch_2\"}")));
        try (EmbeddedRedis redis = EmbeddedRedis.start(false, "requirepass " + REDIS_PASSWORD);
             JarProcess app = JarProcess.startIn(Path.of(""), List.of(
                     "-Dcamel.component.redis-streams.host=" + redis.host(), "-Dcamel.component.redis-streams.port=" + redis.port(),
                     "-Dcamel.management.port=" + management, "-Dcamel.server.port=" + server,
                     "-Dnotify.smtp.host=127.0.0.1", "-Dnotify.smtp.port=" + smtpPort, "-Dnotify.smtp.security=none",
                     "-Dintegration.provider.stripe.url=http://127.0.0.1:" + stripe.port(),
                     "-Dintegration.provider.acme-pay.url=http://127.0.0.1:" + acme.port(),
                     // -D wins over the environment variable
                     "-Dintegration.provider.acme-pay.api-key=" + OVERRIDDEN_KEY,
                     "-Dmedia.enabled=false", "-Danalytics.enabled=false"),
                     Map.of("SMTP_USERNAME", "mailer", "SMTP_PASSWORD", SMTP_PASSWORD, "PROVIDER_STRIPE_API_KEY", API_KEY,
                             "PROVIDER_ACME_PAY_API_KEY", "sk_not_used", "REDIS_PASSWORD", REDIS_PASSWORD))) {
            app.awaitOutput(Pattern.compile("\\) started in "), 90_000);
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                jedis.auth(REDIS_PASSWORD);
                jedis.xadd("notify:events", StreamEntryID.NEW_ENTRY, Map.of("user_id", "1", "type", "email", "template", "welcome",
                        "email", "carol@example.com"));
                jedis.xadd("integration:tasks", StreamEntryID.NEW_ENTRY, Map.of("provider", "stripe", "action", "create_charge",
                        "amount", "1999", "user_id", "1"));
                jedis.xadd("integration:tasks", StreamEntryID.NEW_ENTRY, Map.of("provider", "acme-pay", "action", "create_charge",
                        "amount", "500", "user_id", "2"));
                await("mail sent with the SMTP login from the environment").atMost(Duration.ofSeconds(30))
                        .until(() -> smtp.getReceivedMessages().length == 1);
                await("both charges recorded").atMost(Duration.ofSeconds(30)).until(() -> jedis.xlen("integration:results") == 2);
            }
            stripe.verify(1, postRequestedFor(urlEqualTo("/v1/charges")).withHeader("Authorization", equalTo("Bearer " + API_KEY)));
            acme.verify(1, postRequestedFor(urlEqualTo("/v1/charges")).withHeader("Authorization", equalTo("Bearer " + OVERRIDDEN_KEY)));

            String observe = "http://127.0.0.1:" + management;
            List<String> surfaces = new ArrayList<>();
            surfaces.add(app.output());
            for (String path : new String[] { "/observe/metrics", "/observe/health", "/observe/jolokia/list",
                    "/observe/jolokia/read/*:*?ignoreErrors=true", "/q/dev", "/q/dev/properties", "/q/dev/redis-streams",
                    "/q/dev/route", "/q/dev/context" }) {
                surfaces.add(path + "\n" + get(observe + path));
            }
            surfaces.add(get("http://127.0.0.1:" + server + "/streams"));
            assertTrue(surfaces.get(4).length() > 10_000, "Jolokia read every attribute: " + surfaces.get(4).length());
            for (String surface : surfaces) {
                // the JVM's Runtime MBean lists every -D option, as ps does: a secret given with -D shows there (docs say so)
                boolean everyMBean = surface.startsWith("/observe/jolokia/read/*:*");
                for (String secret : everyMBean ? new String[] { SMTP_PASSWORD, API_KEY, REDIS_PASSWORD }
                        : new String[] { SMTP_PASSWORD, API_KEY, OVERRIDDEN_KEY, REDIS_PASSWORD }) {
                    int at = surface.indexOf(secret);
                    assertEquals(-1, at, () -> "secret in " + surface.substring(0, Math.min(60, surface.length())) + ": ..."
                                               + surface.substring(Math.max(0, at - 200), Math.min(surface.length(), at + 100)));
                }
            }
        } finally {
            smtp.stop();
            stripe.stop();
            acme.stop();
        }
    }
}
