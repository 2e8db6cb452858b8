package io.streamroutes.notify;

import java.time.Duration;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kept-open, logged-in SMTP connections, at most {@code size} (one per concurrent sender). A connection is closed after
 * {@code maxMailsPerConnection} mails, when idle longer than {@code idleTimeout} (idle ones are checked with NOOP), and
 * when a send on it fails. A send that fails because a reused connection went dead (the server closed it) is tried
 * again at once on another connection; a failure on a fresh connection is thrown: the caller retries the entry later.
 */
public final class SmtpConnections implements AutoCloseable {

    /** A server's answer to the mail itself (rejected sender or recipient): the connection is fine, no second try. */
    private static boolean answeredByServer(MessagingException e) {
        return e instanceof SendFailedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnections.class);

    private final GenericObjectPool<Connection> pool;
    private final int maxMailsPerConnection;

    public SmtpConnections(Session session, SmtpRelay relay, int size, int maxMailsPerConnection, Duration idleTimeout) {
        this.maxMailsPerConnection = maxMailsPerConnection;
        GenericObjectPoolConfig<Connection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(size);
        config.setMaxIdle(size);
        config.setLifo(true); // the most recently used connection first: few connections stay warm at low load
        config.setBlockWhenExhausted(true);
        config.setMaxWait(Duration.ofMillis(relay.timeoutMs()));
        config.setTestWhileIdle(true);
        config.setMinEvictableIdleDuration(idleTimeout);
        config.setTimeBetweenEvictionRuns(idleTimeout.dividedBy(2).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : idleTimeout.dividedBy(2));
        config.setNumTestsPerEvictionRun(size);
        config.setJmxEnabled(false);
        pool = new GenericObjectPool<>(new ConnectionFactory(session, relay), config);
    }

    /** Sends over a pooled connection; a connection fault or a server refusal is thrown (the mail was not accepted). */
    public void send(MimeMessage message, Address[] recipients) throws Exception {
        send(message, recipients, () -> { });
    }

    /**
     * Sends over a pooled connection and runs {@code accepted} as soon as the server's "250" to the mail was read, on
     * this thread, before the connection is given back or replaced (which may cost a QUIT round trip): nothing the
     * sender does lies between the server's acceptance and {@code accepted}. A connection fault or a server refusal
     * is thrown (the mail was not accepted, {@code accepted} not run).
     */
    public void send(MimeMessage message, Address[] recipients, Runnable accepted) throws Exception {
        int attempts = pool.getMaxTotal() + 1;
        while (true) {
            Connection connection = pool.borrowObject();
            boolean reused = connection.mailsSent > 0;
            try {
                connection.transport.sendMessage(message, recipients);
            } catch (MessagingException e) {
                pool.invalidateObject(connection);
                if (reused && !answeredByServer(e) && --attempts > 0) {
                    continue;
                }
                throw e;
            }
            if (LOG.isTraceEnabled()) { // the crash test tells by it whether the sender read the relay's answer
                LOG.trace("Relay accepted {}", message.getMessageID());
            }
            try {
                accepted.run();
            } finally {
                giveBack(connection);
            }
            return;
        }
    }

    private void giveBack(Connection connection) throws Exception {
        if (++connection.mailsSent >= maxMailsPerConnection) {
            pool.invalidateObject(connection);
        } else {
            pool.returnObject(connection);
        }
    }

    /** Connections open now (in use and idle). */
    public int open() {
        return pool.getNumActive() + pool.getNumIdle();
    }

    /** How many connections were opened so far. */
    public long opened() {
        return pool.getCreatedCount();
    }

    @Override
    public void close() {
        pool.close();
    }

    static final class Connection {
        final Transport transport;
        int mailsSent;

        Connection(Transport transport) {
            this.transport = transport;
        }
    }

    private static final class ConnectionFactory extends BasePooledObjectFactory<Connection> {
        private final Session session;
        private final SmtpRelay relay;

        ConnectionFactory(Session session, SmtpRelay relay) {
            this.session = session;
            this.relay = relay;
        }

        @Override
        public Connection create() throws MessagingException {
            Transport transport = session.getTransport();
            transport.connect(relay.host(), relay.port(), relay.username(), relay.password());
            return new Connection(transport);
        }

        @Override
        public PooledObject<Connection> wrap(Connection connection) {
            return new DefaultPooledObject<>(connection);
        }

        /** Idle connections only: a NOOP round trip. */
        @Override
        public boolean validateObject(PooledObject<Connection> p) {
            return p.getObject().transport.isConnected();
        }

        @Override
        public void destroyObject(PooledObject<Connection> p) {
            try {
                p.getObject().transport.close();
            } catch (MessagingException | RuntimeException e) {
                // QUIT on a dead connection: nothing left to release
            }
        }
    }
}
