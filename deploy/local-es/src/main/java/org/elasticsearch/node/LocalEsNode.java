package org.elasticsearch.node;

import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Starts one real Elasticsearch node from the Maven Central jars (there is no distribution
 * tarball here). Usage: {@code java -cp ... org.elasticsearch.node.LocalEsNode <path.home>};
 * all settings come from {@code <path.home>/config/elasticsearch.yml} (written by deploy/local-es/run).
 *
 * Plugins/modules are given as classpath classes through the test framework's MockPluginsService,
 * the way MockNode does it, but without MockNode itself: MockNode drags in ESTestCase (random seeds,
 * paranoid Netty leak detection, test port ranges) which a long-running node must not have.
 * This class lives in org.elasticsearch.node because NodeConstruction and NodeServiceProvider are
 * package-private.
 */
public final class LocalEsNode {

    /** Plugin classes always loaded from the classpath; more can be named in -Dlocal.es.plugins=a,b */
    private static final List<String> PLUGIN_CLASSES = List.of(
        "org.elasticsearch.transport.netty4.Netty4Plugin", // HTTP + transport
        "org.elasticsearch.node.LocalEsNode$RootInfoPlugin" // GET / and HEAD /
    );

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: LocalEsNode <path.home>");
            System.exit(2);
        }
        try {
            run(Path.of(args[0]));
        } catch (Throwable t) {
            // exit instead of hanging: thread pools started before the failure are not daemons
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Path homeArg) throws Exception {
        Path home = homeArg.toAbsolutePath();
        LogConfigurator.registerErrorListener();
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            Settings.builder().put(Environment.PATH_HOME_SETTING.getKey(), home.toString()).build(),
            Map.of(),
            home.resolve("config"),
            () -> "local-es"
        );
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(env.settings()));
        LogConfigurator.setClusterName(env.settings().get("cluster.name", "elasticsearch"));
        LogConfigurator.configure(env, true);
        Files.createDirectories(env.tmpDir());

        List<Class<? extends Plugin>> plugins = new ArrayList<>();
        List<String> names = new ArrayList<>(PLUGIN_CLASSES);
        for (String extra : System.getProperty("local.es.plugins", "").split(",")) {
            if (extra.isBlank() == false) {
                names.add(extra.trim());
            }
        }
        for (String name : names) {
            plugins.add(Class.forName(name).asSubclass(Plugin.class));
        }

        NodeServiceProvider provider = new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment environment, PluginsLoader pluginsLoader) {
                return new MockPluginsService(environment.settings(), environment, plugins);
            }
        };
        Node node = new Node(NodeConstruction.prepareConstruction(env, null, provider, true)) {
        };

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                if (node.awaitClose(20, TimeUnit.SECONDS) == false) {
                    System.err.println("node did not stop within 20s");
                }
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "local-es-shutdown"));

        node.start();
        stopped.await(); // a non-daemon thread that lives until shutdown
    }

    /**
     * {@code GET /} and {@code HEAD /}: node, cluster and version info with the usual tagline.
     * In a full distribution this comes from the rest-root module, which is not published to
     * Maven Central; the response fields follow that module's MainResponse.
     */
    public static final class RootInfoPlugin extends Plugin implements ActionPlugin {
        private volatile ClusterService clusterService;

        @Override
        public Collection<?> createComponents(PluginServices services) {
            clusterService = services.clusterService();
            return List.of();
        }

        @Override
        public Collection<RestHandler> getRestHandlers(
            RestHandlersServices services,
            Supplier<DiscoveryNodes> nodesInCluster,
            Predicate<NodeFeature> clusterSupportsFeature
        ) {
            return List.of(new BaseRestHandler() {
                @Override
                public String getName() {
                    return "main_action";
                }

                @Override
                public List<Route> routes() {
                    return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
                }

                @Override
                public boolean canTripCircuitBreaker() {
                    return false;
                }

                @Override
                protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
                    return channel -> {
                        ClusterState state = clusterService.state();
                        Build build = Build.current();
                        XContentBuilder b = channel.newBuilder();
                        if (request.hasParam("pretty") == false) {
                            b.prettyPrint().lfAtEnd();
                        }
                        b.startObject();
                        b.field("name", clusterService.getNodeName());
                        b.field("cluster_name", state.getClusterName().value());
                        b.field("cluster_uuid", state.metadata().clusterUUID());
                        b.startObject("version")
                            .field("number", build.qualifiedVersion())
                            .field("build_flavor", build.flavor())
                            .field("build_type", build.type().displayName())
                            .field("build_hash", build.hash())
                            .field("build_date", build.date())
                            .field("build_snapshot", build.isSnapshot())
                            .field("lucene_version", IndexVersion.current().luceneVersion().toString())
                            .field("minimum_wire_compatibility_version", build.minWireCompatVersion())
                            .field("minimum_index_compatibility_version", build.minIndexCompatVersion())
                            .endObject();
                        b.field("tagline", "You Know, for Search");
                        b.endObject();
                        channel.sendResponse(new RestResponse(RestStatus.OK, b));
                    };
                }
            });
        }
    }
}
