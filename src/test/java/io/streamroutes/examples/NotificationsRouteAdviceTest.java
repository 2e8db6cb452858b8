package io.streamroutes.examples;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How to test a changed route file: camel-test-junit5 loads routes/notifications.yaml as it is, against a real
 * (embedded) Redis; AdviceWith swaps the mail sender and the HTTP endpoint for mocks, so the test checks what would be sent
 * without a mail server or push gateway. Copy this class for your own route file.
 */
class NotificationsRouteAdviceTest extends CamelTestSupport {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    /** The routes are advised before the context starts; the test starts it. */
    @Override
    public void configureTest(TestExecutionConfiguration testConfiguration) {
        super.configureTest(testConfiguration);
        testConfiguration.withUseAdviceWith(true);
    }

    /** Settings the route file reads as {{placeholders}}, as in application.properties or -D. */
    @Override
    public void configureContext(CamelContextConfiguration contextConfiguration) {
        super.configureContext(contextConfiguration);
        Properties settings = new Properties();
        settings.put("camel.component.redis-streams.host", redis.host());
        settings.put("camel.component.redis-streams.port", Integer.toString(redis.port()));
        settings.put("notify.consumer", "test-worker");
        settings.put("notify.block-ms", "200");
        settings.put("notify.push.url", "http://push-gateway.invalid/v1/push");
        contextConfiguration.withUseOverridePropertiesWithPropertiesComponent(settings);
    }

    /** camel-main sets the component from camel.component.redis-streams.*; a plain test context is set here. */
    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        RedisStreamsComponent component = camel.getComponent("redis-streams", RedisStreamsComponent.class);
        component.getConfiguration().setHost(redis.host());
        component.getConfiguration().setPort(redis.port());
        return camel;
    }

    /** The route file under test, loaded by Camel's YAML DSL exactly as the application loads it. */
    @Override
    protected RoutesBuilder createRouteBuilder() throws Exception {
        return PluginHelper.getRoutesLoader(context)
                .findRoutesBuilders(ResourceHelper.resolveMandatoryResource(context, "file:routes/notifications.yaml"))
                .iterator().next();
    }

    private void startWithMockedSmtpAndPush() throws Exception {
        AdviceWith.adviceWith(context, "notify-email", route -> route.weaveById("send-mail").replace().to("mock:smtp"));
        AdviceWith.adviceWith(context, "notify-push", 
                // the gateway call is the route's only toD (its URI is the notify.push.url setting)
                route -> route.weaveByType(ToDynamicDefinition.class).replace().to("mock:push"));
        context.start();
    }

    @Test
    void emailGoesToTheAddressFromTheUserProfileAndTheEntryIsAcked() throws Exception {
        startWithMockedSmtpAndPush();
        MockEndpoint smtp = getMockEndpoint("mock:smtp");
        smtp.expectedMessageCount(1);
        smtp.expectedVariableReceived("recipient", "ada@example.com");
        smtp.expectedVariableReceived("subject", "Welcome to Stream Routes, user 123!");
        getMockEndpoint("mock:push").expectedMessageCount(0);

        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.hset("user:123", "email", "ada@example.com");
            jedis.xadd("notify:events", StreamEntryID.NEW_ENTRY, Map.of("user_id", "123", "type", "email", "template", "welcome"));

            MockEndpoint.assertIsSatisfied(context);
            assertTrue(smtp.getExchanges().get(0).getVariable("text", String.class).contains("your account 123 is ready"));
            assertTrue(smtp.getExchanges().get(0).getVariable("html", String.class).contains("<strong>123</strong>"));
            awaitNothingPending(jedis);
        }
    }

    @Test
    void pushIsPostedAsJsonAndAnUnknownTypeIsDeadLettered() throws Exception {
        startWithMockedSmtpAndPush();
        MockEndpoint push = getMockEndpoint("mock:push");
        push.expectedMessageCount(1);
        push.expectedHeaderReceived("Content-Type", "application/json");
        getMockEndpoint("mock:smtp").expectedMessageCount(0);

        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.xadd("notify:events", StreamEntryID.NEW_ENTRY, Map.of("user_id", "7", "type", "push", "template", "promo"));
            jedis.xadd("notify:events", StreamEntryID.NEW_ENTRY, Map.of("user_id", "7", "type", "sms", "template", "promo"));

            MockEndpoint.assertIsSatisfied(context);
            String json = push.getExchanges().get(0).getMessage().getBody(String.class);
            assertTrue(json.contains("\"user_id\":\"7\"") && json.contains("\"template\":\"promo\""), json);
            awaitNothingPending(jedis);
            assertEquals(1, jedis.xlen("notify:dead-letter"));
            assertEquals("sms", jedis.xrange("notify:dead-letter", (StreamEntryID) null, null).get(0).getFields().get("type"));
        }
    }

    private static void awaitNothingPending(Jedis jedis) {
        await("entries acked (nothing pending)").atMost(Duration.ofSeconds(10))
                .until(() -> jedis.xpending("notify:events", "notify-workers").getTotal() == 0);
    }
}
