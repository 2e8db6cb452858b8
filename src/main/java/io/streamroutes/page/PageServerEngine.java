package io.streamroutes.page;

import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * platform-http routes on the server of {@code camel.server.*}. Camel 4.17's engine finds its server by type, and with
 * the management server (camel.management.*) also running there are two: it then assumes port 8080 and the page's
 * routes fail to start ("No PlatformHttpEngine ... platform-http-router-8080") whenever camel.server.port is another.
 */
public final class PageServerEngine extends VertxPlatformHttpEngine {

    /** The registry name platform-http looks its engine up by. */
    public static final String NAME = "platform-http-engine";

    @Override
    public int getServerPort() {
        MainHttpServer server = getCamelContext().hasService(MainHttpServer.class);
        return server != null ? server.getPort() : super.getServerPort();
    }
}
