package io.streamroutes.app;

import java.util.HashMap;
import java.util.Map;

import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.Utils;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceSupport;
import org.jolokia.json.JSONStructure;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.request.EmptyResponseException;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.api.LogHandler;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.NetworkUtil;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jolokia on the management server ({@code /observe/jolokia}) with the policy {@link JolokiaPolicy} chooses:
 * read-only ({@code read}, {@code list}, {@code search}, {@code version}) unless {@code management.jolokia.read-only =
 * false}. Camel's own plugin always loads {@code /jolokia-access.xml}, so it cannot be switched by a setting; this one
 * is bound under the same name ({@value JolokiaPlatformHttpPlugin#NAME}), which the management server looks up first.
 */
final class PolicyJolokiaPlugin extends ServiceSupport implements JolokiaPlatformHttpPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyJolokiaPlugin.class);

    private final JolokiaServiceManager serviceManager;
    private CamelContext camelContext;
    private HttpRequestHandler requestHandler;

    PolicyJolokiaPlugin(String policyLocation) {
        StaticConfiguration configuration = new StaticConfiguration(ConfigKey.AGENT_ID, NetworkUtil.getAgentId(hashCode(), "vertx"));
        Restrictor restrictor;
        try {
            restrictor = RestrictorFactory.lookupPolicyRestrictor(policyLocation);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the Jolokia policy " + policyLocation + ": " + e.getMessage(), e);
        }
        if (restrictor == null) {
            throw new IllegalStateException("No Jolokia policy at " + policyLocation);
        }
        serviceManager = JolokiaServiceManagerFactory.createJolokiaServiceManager(configuration, new Slf4jLogHandler(), restrictor);
        serviceManager.addService(new JolokiaSerializer());
        serviceManager.addService(new LocalRequestHandler(1));
        LOG.info("Jolokia access policy: {}", policyLocation);
    }

    @Override
    protected void doStart() {
        requestHandler = new HttpRequestHandler(serviceManager.start());
    }

    @Override
    protected void doStop() {
        serviceManager.stop();
    }

    @Override
    public Object getHandler() {
        return (Handler<RoutingContext>) this::handle;
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = Utils.pathOffset(request.path(), context);
        int status = 200;
        JSONStructure json;
        try {
            String remote = request.remoteAddress().host();
            requestHandler.checkAccess(request.scheme(), remote, remote, originOrReferer(request));
            if (request.method() == HttpMethod.GET) {
                json = requestHandler.handleGetRequest(request.uri(), path, parameters(request));
            } else {
                if (context.body() == null || context.body().buffer() == null) {
                    throw new IllegalArgumentException("Missing body");
                }
                json = requestHandler.handlePostRequest(request.uri(), new ByteBufInputStream(context.body().buffer().getByteBuf()),
                        "UTF-8", parameters(request));
            }
        } catch (EmptyResponseException e) {
            context.response().end();
            return;
        } catch (SecurityException e) {
            status = 403;
            json = requestHandler.handleThrowable(e);
        } catch (Exception e) {
            status = 500;
            json = requestHandler.handleThrowable(e);
        }
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json == null ? "" : json.toJSONString());
    }

    private static Map<String, String[]> parameters(HttpServerRequest request) {
        Map<String, String[]> parameters = new HashMap<>();
        for (String name : request.params().names()) {
            parameters.put(name, request.params().getAll(name).toArray(String[]::new));
        }
        return parameters;
    }

    private static String originOrReferer(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            origin = request.getHeader("Referer");
        }
        return origin == null ? null : origin.replaceAll("[\\n\\r]*", "");
    }

    @Override
    public String getId() {
        return NAME;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    private static final class Slf4jLogHandler implements LogHandler {
        @Override
        public void debug(String message) {
            LOG.debug(message);
        }

        @Override
        public void info(String message) {
            LOG.info(message);
        }

        @Override
        public void error(String message, Throwable t) {
            LOG.error(message, t);
        }

        @Override
        public boolean isDebug() {
            return LOG.isDebugEnabled();
        }
    }
}
