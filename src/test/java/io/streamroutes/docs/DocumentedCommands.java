package io.streamroutes.docs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every shell command the docs show, with what runs it, so that no documented command rots unnoticed:
 * {@link DocsCommandsTest} fails on a command in the docs that is not listed here, and checks that each runner exists
 * and does what is claimed. Commands are as {@link MarkdownPages#shellCommands} reads them (comments dropped, spaces
 * collapsed).
 */
final class DocumentedCommands {

    /** How a command is covered. */
    enum Kind {
        /** run word for word by {@link DocumentedCommandsJarIT}; the evidence is the constant it runs */
        RUN_VERBATIM,
        /** run by the named test with the same arguments (against the test's Redis and ports); the evidence is in its source */
        RUN_BY_TEST,
        /** run by .ci/run; the evidence is the line of .ci/run */
        CI,
        /** a Maven run of named tests: every class or pattern it names must match a test class */
        MAVEN_TESTS,
        /**
         * a benchmark run taking minutes, run by hand for the figures its page shows; the script must exist and its
         * program is run in quick mode by CI (.ci/run runs {@code ./bench/run.sh --quick})
         */
        BENCHMARK_BY_HAND
    }

    record Coverage(Kind kind, String runner, String evidence) {
    }

    static final String RUN_AGAINST_REDIS = "java -Dcamel.component.redis-streams.host=\"$REDIS_HOST\" "
            + "-Dcamel.component.redis-streams.port=\"$REDIS_PORT\" -jar target/redis-stream-routes.jar";
    static final String HELP = "java -jar target/redis-stream-routes.jar --help";
    static final String DLQ_LIST = "java -jar target/redis-stream-routes.jar dlq list integration:dead-letter --max 20";
    static final String DLQ_REQUEUE_ALL = "java -jar target/redis-stream-routes.jar dlq requeue integration:dead-letter --all";
    static final String DLQ_PURGE = "java -jar target/redis-stream-routes.jar dlq purge integration:dead-letter";
    static final String VALIDATE_FILE = "java -jar target/redis-stream-routes.jar validate routes/analytics.yaml";
    static final String JAVA_DSL_ROUTES = "java -Dcamel.main.routes-builder-classes=io.streamroutes.examples.AnalyticsRoutes "
            + "'-Dcamel.main.routes-exclude-pattern=**/analytics.yaml' -jar target/redis-stream-routes.jar";
    static final String EDITOR_SCHEMA = "unzip -o ~/.m2/repository/org/apache/camel/camel-yaml-dsl/4.17.0/camel-yaml-dsl-4.17.0.jar "
            + "schema/camelYamlDsl.json -d .camel";

    /** The component's tests, its sub-packages' included (DocsCommandsTest checks that they select every one). */
    static final String COMPONENT_TESTS = "mvn test -Dtest='io/streamroutes/component/**/*Test'";
    static final String COMPONENT_TESTS_ON_REDIS_7 = "mvn -B -ntp -q surefire:test -Dtest='io/streamroutes/component/**/*Test' "
            + "-Dredis.server=/usr/bin/redis-server -DfailIfNoTests=false";

    static final String JAR_METADATA = "unzip -l target/redis-stream-routes.jar | grep redis-streams.json";

    static final Map<String, Coverage> COVERED = new LinkedHashMap<>();

    static {
        // README: the two commands
        add("mvn -q -DskipTests package && java -jar target/redis-stream-routes.jar --demo", Kind.RUN_BY_TEST, "DemoJarIT",
                "\"--demo\"");
        add("mvn verify", Kind.CI, ".ci/run", "mvn -B -ntp verify");
        // README and docs: running it
        add(RUN_AGAINST_REDIS, Kind.RUN_VERBATIM, "DocumentedCommandsJarIT", "DocumentedCommands.RUN_AGAINST_REDIS");
        add(HELP, Kind.RUN_VERBATIM, "DocumentedCommandsJarIT", "DocumentedCommands.HELP");
        add(DLQ_LIST, Kind.RUN_VERBATIM, "DocumentedCommandsJarIT", "DocumentedCommands.DLQ_LIST");
        add(DLQ_REQUEUE_ALL, Kind.RUN_VERBATIM, "DocumentedCommandsJarIT", "DocumentedCommands.DLQ_REQUEUE_ALL");
        add(DLQ_PURGE, Kind.RUN_VERBATIM, "DocumentedCommandsJarIT", "DocumentedCommands.DLQ_PURGE");
        add(VALIDATE_FILE, Kind.RUN_VERBATIM, "DocumentedCommandsJarIT", "DocumentedCommands.VALIDATE_FILE");
        add(JAVA_DSL_ROUTES, Kind.RUN_VERBATIM, "DocumentedCommandsJarIT", "DocumentedCommands.JAVA_DSL_ROUTES");
        add(EDITOR_SCHEMA, Kind.RUN_VERBATIM, "DocumentedCommandsJarIT", "DocumentedCommands.EDITOR_SCHEMA");
        add("java -jar target/redis-stream-routes.jar validate", Kind.RUN_BY_TEST, "RouteAuthoringJarIT", "\"validate\")");
        add("java -jar target/redis-stream-routes.jar --replay analytics", Kind.RUN_BY_TEST, "ReplayJarIT", "\"--replay\", \"analytics\"");
        add("java -Dcamel.component.redis-streams.host=localhost -jar target/redis-stream-routes.jar --dev", Kind.RUN_BY_TEST,
                "DevReloadJarIT", "\"--dev\"");
        add("mvn -q -DskipTests package", Kind.CI, ".ci/run", "mvn -B -ntp verify");
        // operating.md: Jolokia requests (the tests send them to their own management port, not the shipped 9876)
        add("curl 'http://127.0.0.1:9876/observe/jolokia/read/io.streamroutes:type=stream,key=%22notify:events%22,"
                + "group=%22notify-workers%22/PendingCount'", Kind.RUN_BY_TEST, "OperateOverHttpJarIT",
                "/jolokia/read/io.streamroutes:type=stream,key=%22notify:events%22,group=%22notify-workers%22/PendingCount");
        add("curl 'http://127.0.0.1:9876/observe/jolokia/exec/io.streamroutes:type=stream,key=%22integration:tasks%22,"
                + "group=%22integration-workers%22/requeueAllDeadLetters()'", Kind.RUN_BY_TEST, "JolokiaReadWriteTest",
                "base + \"/exec/\"");
        add("curl 'http://127.0.0.1:9876/observe/jolokia/exec/org.apache.camel:context=redis-stream-routes,type=routes,"
                + "name=%22integration%22/stop()'", Kind.RUN_BY_TEST, "JolokiaReadWriteTest", "/stop()");
        // operating.md: a key store for the HTTP servers' TLS
        add("keytool -genkeypair -alias server -keyalg RSA -keysize 2048 -validity 365 -dname CN=routes.example.org "
                + "-ext SAN=dns:routes.example.org -storetype PKCS12 -keystore server.p12", Kind.RUN_BY_TEST,
                "AuthenticatedExposureTest", "\"-genkeypair\"");
        add(JAR_METADATA, Kind.RUN_VERBATIM, "DocumentedCommandsJarIT", "DocumentedCommands.JAR_METADATA");
        // CONTRIBUTING.md and the pages' test runs
        add("mvn test-compile", Kind.CI, ".ci/run", "mvn -B -ntp verify");
        add("mvn test", Kind.CI, ".ci/run", "mvn -B -ntp verify");
        add("mvn verify -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false", Kind.CI, ".ci/run", "mvn -B -ntp verify");
        add("mvn test -Dtest=StreamsPageBrowserTest", Kind.MAVEN_TESTS, "", "");
        add("mvn -B -ntp -o verify -Dit.test=ScaleOutJarIT -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false", Kind.MAVEN_TESTS, "", "");
        add("mvn -B -ntp -o verify -Dit.test=OperateOverHttpJarIT -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false", Kind.MAVEN_TESTS, "", "");
        add("mvn test -Dtest='MediaClamdScenarioTest,ClamdScannerTest'", Kind.MAVEN_TESTS, "", "");
        add("mvn test -Dtest='MediaCorpusTest,MediaWebpScenarioTest'", Kind.MAVEN_TESTS, "", "");
        add("mvn test -Dtest='ComponentReferencePageTest,Docs*Test'", Kind.MAVEN_TESTS, "", "");
        add("mvn -q -DskipTests package && mvn -q failsafe:integration-test failsafe:verify -Dit.test='RouteAuthoringJarIT,DevReloadJarIT'",
                Kind.MAVEN_TESTS, "", "");
        add(COMPONENT_TESTS, Kind.MAVEN_TESTS, "", "");
        add(COMPONENT_TESTS_ON_REDIS_7, Kind.CI, ".ci/run", COMPONENT_TESTS_ON_REDIS_7);
        add("mvn verify -Dit.test=DemoJarIT -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false", Kind.MAVEN_TESTS, "", "");
        add(ComponentReferenceTables.REGENERATE_COMMAND, Kind.MAVEN_TESTS, "", "");
        add("mvn -q test -Dtest=NotificationsRouteAdviceTest", Kind.MAVEN_TESTS, "", "");
        add("mvn -B -ntp -o verify -Dtest=none -Dit.test='SentinelFailoverIT,ClusterFailoverIT,LongRunIT' -DfailIfNoTests=false "
                + "-Dsurefire.failIfNoSpecifiedTests=false", Kind.MAVEN_TESTS, "", "");
        add("mvn -B -ntp -o verify -Dtest=NoSuchTest -Dit.test=SharedRateLimitJarIT -DfailIfNoTests=false "
                + "-Dsurefire.failIfNoSpecifiedTests=false", Kind.MAVEN_TESTS, "", "");
        // the benchmark
        add("./bench/run.sh --quick", Kind.CI, ".ci/run", "./bench/run.sh --quick");
        add("./bench/run.sh", Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        add("./bench/run.sh --entries 1000 --only io-standin-c100,io-route-c1,io-loop-c1,io-route-c10,io-loop-c10,io-route-c50,io-loop-c50",
                Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        add("./bench/run.sh --only media-route,media-imagemagick,media-vips --repetitions 1", Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        add("./bench/wait-latency.sh", Kind.BENCHMARK_BY_HAND, "bench/wait-latency.sh", "");
        add("./bench/run.sh --only smtp-reuse --smtp-mails 300", Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        add("mvn -B -ntp -o verify -Dtest=NoSuchTest -Dit.test=NotificationsCrashIT -DfailIfNoTests=false "
            + "-Dsurefire.failIfNoSpecifiedTests=false", Kind.MAVEN_TESTS, "", "");
        // docs/performance.md
        add("./bench/run.sh --media-photos 0", Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        add("./bench/run.sh --only raw-loop,route-c1 --repetitions 5", Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        add("./bench/run.sh --only raw-loop,route-c1,camel-floor --repetitions 3", Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        add("./bench/run.sh --only pipelined-xadd,route-producer-batch,route-producer-pipelined,pipelined-multi-xadd --repetitions 3", Kind.BENCHMARK_BY_HAND,
                "bench/run.sh", "");
        add("./bench/run.sh --only raw-xread-1000,raw-xreadgroup-1000,analytics-live --repetitions 3", Kind.BENCHMARK_BY_HAND,
                "bench/run.sh", "");
        add("./bench/run.sh --only raw-loop --entries 1000 --repetitions 1", Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        // docs/reader-parts.md
        add("./bench/run.sh --only raw-loop,raw-lettuce,jedis-readahead,lettuce-readahead --repetitions 3", Kind.BENCHMARK_BY_HAND,
                "bench/run.sh", "");
        add("java -Xms1g -Xmx1g -XX:StartFlightRecording=filename=drain.jfr,settings=profile,jdk.ExecutionSample#period=1ms "
                + "-cp \"target/test-classes:target/classes:$(cat target/bench/classpath.txt)\" io.streamroutes.bench.Benchmark "
                + "--only raw-loop,route-c1 --entries 200000 --repetitions 5 --latency-entries 100", Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        add("jfr print --events jdk.ExecutionSample --stack-depth 64 drain.jfr", Kind.BENCHMARK_BY_HAND, "bench/run.sh", "");
        add("./bench/run-integration-acceptance.sh", Kind.BENCHMARK_BY_HAND, "bench/run-integration-acceptance.sh", "");
        add("./bench/run-per-key.sh", Kind.BENCHMARK_BY_HAND, "bench/run-per-key.sh", "");
        add("./bench/imaging-libraries.sh", Kind.BENCHMARK_BY_HAND, "bench/imaging-libraries.sh", "");
    }

    private DocumentedCommands() {
    }

    private static void add(String command, Kind kind, String runner, String evidence) {
        COVERED.put(MarkdownPages.normalize(command), new Coverage(kind, runner, evidence));
    }
}
