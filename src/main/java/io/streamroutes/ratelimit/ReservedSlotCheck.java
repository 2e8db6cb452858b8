package io.streamroutes.ratelimit;

import java.io.IOException;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The HTTP client's request executor, which writes the request to its connection, with one step first: on the thread
 * of the exchange that acquired a slot of a {@link SharedRateLimit}, a slot missed by more than one interval is given
 * up and a new one waited for ({@link SharedRateLimit#useReservedSlot()}), so the provider never sees a late call
 * together with the next one. It runs as close to the wire as the client allows: after the connection is leased and
 * opened, right before the request line is written.
 */
public final class ReservedSlotCheck extends HttpRequestExecutor {

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection conn,
                                       HttpResponseInformationCallback informationCallback, HttpContext context)
            throws IOException, HttpException {
        SharedRateLimit.useReservedSlot();
        return super.execute(request, conn, informationCallback, context);
    }
}
