package org.openmsk.kafka;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A small Prometheus exporter that runs as a Java agent in each broker and controller JVM, so that MSK's open
 * monitoring node exporter port has something to answer with. It speaks node_exporter's metric and label names, but
 * its figures are the container's own (the cgroup this JVM is in), never the host's: a broker's container shares its
 * host with other brokers. It never keeps the JVM alive, never delays the broker's start, and a failure to start costs
 * one line on stderr, never the broker. On /openmsk/kafka it also serves the few Kafka MBeans openmsk's CloudWatch
 * collector needs, to openmsk only.
 *
 * Agent arguments (-javaagent:jar=key=value,key=value):
 *   host    the address to listen on (default 127.0.0.1)
 *   port    the port to listen on (required)
 *   volume  the broker's data volume mount point, for node_filesystem_* (optional)
 *   auth    a file holding one line username:sha256hex (optional). While it exists and is non-empty, every request
 *           needs HTTP Basic authentication as that user with a password whose SHA-256 is that hex. It is read on
 *           every request, so the control plane can open or close the exporter without restarting the broker.
 *   collector  a file of the same form naming who may read /openmsk/kafka; without it, nobody may.
 *
 * There are no node_network_* metrics: the brokers run with host networking, so the container has no network
 * interface of its own and /proc/net/dev would be the host's.
 */
public final class NodeExporter {
    static final String CGROUP_ROOT = "/sys/fs/cgroup";
    /** cgroup v1's cpuacct.stat counts in USER_HZ, which is 100 on every architecture Docker runs on. */
    static final double USER_HZ = 100;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Path volume;
    private final Path auth;
    /** Who may read /openmsk/kafka: openmsk's collector only (the file must exist and name it). */
    private final Path collectorAuth;
    /** cgroup v2: the one directory holding every controller's files; null under cgroup v1. */
    private final Path unified;
    /** cgroup v1: each controller's own directory, null when not found (or under cgroup v2). */
    private final Path cpuacct, cpu, memory, blkio;

    public static void premain(String args) {
        try {
            // Started from a daemon thread, the server's dispatcher thread inherits daemon status, so it cannot keep
            // the JVM alive; and binding off the main thread never delays the broker.
            Thread starter = new Thread(() -> start(args), "openmsk-node-exporter-start");
            starter.setDaemon(true);
            starter.start();
        } catch (Throwable e) {
            System.err.println("openmsk node exporter did not start: " + e);
        }
    }

    public static void agentmain(String args) {
        premain(args);
    }

    private static void start(String args) {
        try {
            Map<String, String> options = new HashMap<>();
            for (String pair : (args == null ? "" : args).split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) options.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            if (!options.containsKey("port")) throw new IllegalArgumentException("the agent argument port is missing");
            int port = Integer.parseInt(options.get("port"));
            String host = options.getOrDefault("host", "127.0.0.1");
            NodeExporter exporter = new NodeExporter(path(options.get("volume")), path(options.get("auth")), path(options.get("collector")));
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "openmsk-node-exporter");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", exporter::handle);
            server.start();
        } catch (Throwable e) {
            System.err.println("openmsk node exporter did not start (" + args + "): " + e);
        }
    }

    private static Path path(String value) {
        return value == null || value.isEmpty() ? null : Paths.get(value);
    }

    NodeExporter(Path volume, Path auth, Path collectorAuth) {
        this.volume = volume;
        this.auth = auth;
        this.collectorAuth = collectorAuth;
        // /proc/self/cgroup: "0::/path" for cgroup v2, "N:controller,controller:/path" per cgroup v1 hierarchy.
        String v2 = null;
        Map<String, String[]> v1 = new HashMap<>();
        for (String line : lines(Paths.get("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) v2 = f[2];
            else for (String controller : f[1].split(",")) v1.put(controller, new String[] {f[1], f[2]});
        }
        unified = v2 == null ? null : first("cpu.stat", Paths.get(CGROUP_ROOT, relative(v2)), Paths.get(CGROUP_ROOT));
        boolean legacy = unified == null;
        cpuacct = legacy ? v1Dir(v1, "cpuacct", "cpuacct.stat") : null;
        cpu = legacy ? v1Dir(v1, "cpu", "cpu.cfs_quota_us") : null;
        memory = legacy ? v1Dir(v1, "memory", "memory.usage_in_bytes") : null;
        blkio = legacy ? v1Dir(v1, "blkio", "blkio.throttle.io_service_bytes") : null;
    }

    /**
     * A cgroup v1 controller's directory: its hierarchy is mounted under its own name or under the joined names
     * (cpu,cpuacct); the JVM's path in it exists when the host's tree is visible, and the mount itself is the
     * container's cgroup when only that is mounted.
     */
    private static Path v1Dir(Map<String, String[]> v1, String controller, String marker) {
        String[] entry = v1.get(controller);
        if (entry == null) return first(marker, Paths.get(CGROUP_ROOT, controller));
        return first(marker, Paths.get(CGROUP_ROOT, entry[0], relative(entry[1])), Paths.get(CGROUP_ROOT, controller, relative(entry[1])),
                Paths.get(CGROUP_ROOT, entry[0]), Paths.get(CGROUP_ROOT, controller));
    }

    private static Path first(String marker, Path... dirs) {
        for (Path dir : dirs) if (Files.isReadable(dir.resolve(marker))) return dir;
        return null;
    }

    private static String relative(String cgroupPath) {
        return cgroupPath.replaceFirst("^/+", "");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean kafka = path.equals(KAFKA_PATH);
            if (kafka ? !allowed(exchange, collectorAuth, false) : !allowed(exchange, auth, true)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"openmsk\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (!kafka && !path.equals("/") && !path.equals("/metrics")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = (kafka ? kafka() : scrape()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Whether the request may see the metrics; an auth file that exists but cannot be read or parsed shuts it. With
     * `openWithout`, no file (or an empty one) means anyone may; without, it means nobody may.
     */
    private static boolean allowed(HttpExchange exchange, Path auth, boolean openWithout) {
        if (auth == null) return openWithout;
        String line;
        try {
            line = new String(Files.readAllBytes(auth), StandardCharsets.UTF_8).strip().split("\\R", 2)[0].strip();
        } catch (NoSuchFileException e) {
            return openWithout;
        } catch (IOException e) {
            return false;
        }
        if (line.isEmpty()) return openWithout;
        int colon = line.lastIndexOf(':');
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (colon <= 0 || header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return false;
        try {
            byte[] wantHash = HexFormat.of().parseHex(line.substring(colon + 1));
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int sep = pair.indexOf(':');
            if (sep < 0) return false;
            byte[] gotHash = MessageDigest.getInstance("SHA-256").digest(pair.substring(sep + 1).getBytes(StandardCharsets.UTF_8));
            boolean user = MessageDigest.isEqual(line.substring(0, colon).getBytes(StandardCharsets.UTF_8),
                    pair.substring(0, sep).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(wantHash, gotHash) & user;
        } catch (IllegalArgumentException | NoSuchAlgorithmException e) {
            return false;
        }
    }

    /** Where openmsk's collector reads the Kafka figures it needs (with its own credential, whatever open monitoring says). */
    static final String KAFKA_PATH = "/openmsk/kafka";

    /**
     * The Kafka MBean attributes openmsk's collector publishes as MSK's CloudWatch metrics: pattern and attribute.
     * Reading these few costs the broker a few milliseconds; a full JMX exporter scrape (every MBean, histogram
     * snapshots included) costs it hundreds (docs/benchmarks.md).
     */
    private static final String[][] KAFKA_FIGURES = {
        {"kafka.server:type=BrokerTopicMetrics,*", "Count"},
        {"kafka.server:type=ReplicaManager,*", "Value"},
        {"kafka.controller:type=KafkaController,*", "Value"},
        {"kafka.network:type=RequestMetrics,name=TotalTimeMs,*", "Mean"},
        {"kafka.network:type=RequestMetrics,name=LocalTimeMs,*", "Mean"},
        {"kafka.network:type=RequestMetrics,name=RequestQueueTimeMs,*", "Mean"},
        {"kafka.network:type=SocketServer,name=NetworkProcessorAvgIdlePercent", "Value"},
        {"kafka.server:type=KafkaRequestHandlerPool,name=RequestHandlerAvgIdlePercent", "OneMinuteRate"},
    };

    /**
     * KAFKA_FIGURES in the exposition format, named as the Prometheus JMX exporter names them by default
     * (domain_type_attribute, the other key properties as labels), so one reader serves both.
     */
    String kafka() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Map<String, Number>> families = new TreeMap<>();
        for (String[] f : KAFKA_FIGURES) {
            Set<ObjectName> names;
            try {
                names = server.queryNames(new ObjectName(f[0]), null);
            } catch (Exception e) {
                continue;
            }
            for (ObjectName n : names) {
                Object v;
                try {
                    v = server.getAttribute(n, f[1]);
                } catch (Exception e) {
                    continue;
                }
                if (!(v instanceof Number) || n.getKeyProperty("type") == null) continue;
                List<String> pairs = new ArrayList<>();
                for (Map.Entry<String, String> k : new TreeMap<>(n.getKeyPropertyList()).entrySet()) {
                    if (!k.getKey().equals("type")) {
                        pairs.add(k.getKey());
                        pairs.add(k.getValue());
                    }
                }
                String family = n.getDomain().replace('.', '_') + "_" + n.getKeyProperty("type") + "_" + f[1];
                families.computeIfAbsent(family, x -> new TreeMap<>()).put(labels(pairs.toArray(new String[0])), (Number) v);
            }
        }
        StringBuilder out = new StringBuilder(8192);
        for (Map.Entry<String, Map<String, Number>> f : families.entrySet()) {
            family(out, f.getKey(), "untyped", "A Kafka MBean attribute, as openmsk's collector reads it.", f.getValue());
        }
        return out.toString();
    }

    String scrape() {
        StringBuilder out = new StringBuilder(4096);
        cpu(out);
        memory(out);
        filesystem(out);
        disks(out);
        family(out, "openmsk_node_exporter_info", "gauge", "openmsk's node exporter, a JVM agent in the broker (not node_exporter).",
                Map.of(labels("version", "1"), 1L));
        return out.toString();
    }

    /**
     * cpu="all" is one series for the whole container, because a cgroup counts its CPU time as a whole, with no
     * per-CPU breakdown. idle is the capacity (the CPU quota, else the JVM's processors) over this JVM's lifetime
     * less what the container used: an estimate, floored at 0.
     */
    private void cpu(StringBuilder out) {
        Double user = null, system = null;
        if (unified != null) {
            Map<String, Long> stat = keyed(unified.resolve("cpu.stat"));
            user = ratio(stat.get("user_usec"), 1e6);
            system = ratio(stat.get("system_usec"), 1e6);
        } else if (cpuacct != null) {
            Map<String, Long> stat = keyed(cpuacct.resolve("cpuacct.stat"));
            user = ratio(stat.get("user"), USER_HZ);
            system = ratio(stat.get("system"), USER_HZ);
        }
        Map<String, Number> samples = new LinkedHashMap<>();
        if (user != null) samples.put(labels("cpu", "all", "mode", "user"), user);
        if (system != null) samples.put(labels("cpu", "all", "mode", "system"), system);
        if (user != null && system != null) {
            double lifetime = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
            samples.put(labels("cpu", "all", "mode", "idle"), Math.max(0, capacity() * lifetime - user - system));
        }
        family(out, "node_cpu_seconds_total", "counter", "Seconds the container's CPUs spent in each mode.", samples);
    }

    /** The CPUs the container may use: its quota when it has one (never more than the JVM's processors). */
    private double capacity() {
        long quota = -1, period = -1;
        if (unified != null) { // "max 100000" or "150000 100000"
            String[] max = words(read(unified.resolve("cpu.max")));
            if (max.length == 2) {
                quota = parse(max[0]);
                period = parse(max[1]);
            }
        } else if (cpu != null) {
            quota = parse(read(cpu.resolve("cpu.cfs_quota_us")));
            period = parse(read(cpu.resolve("cpu.cfs_period_us")));
        }
        int processors = Runtime.getRuntime().availableProcessors();
        return quota > 0 && period > 0 ? Math.min((double) quota / period, processors) : processors;
    }

    /** The container's memory limit as MemTotal (the host's memory when it has none, or a larger one). */
    private void memory(StringBuilder out) {
        Long limit = null, used = null, inactive = null, cached = null;
        if (unified != null) {
            limit = number(unified.resolve("memory.max"));
            used = number(unified.resolve("memory.current"));
            Map<String, Long> stat = keyed(unified.resolve("memory.stat"));
            inactive = stat.get("inactive_file");
            cached = stat.get("file");
        } else if (memory != null) {
            limit = number(memory.resolve("memory.limit_in_bytes"));
            used = number(memory.resolve("memory.usage_in_bytes"));
            Map<String, Long> stat = keyed(memory.resolve("memory.stat"));
            inactive = stat.get("total_inactive_file");
            cached = stat.get("total_cache");
        }
        Long hostKb = keyed(Paths.get("/proc/meminfo")).get("MemTotal");
        Long host = hostKb == null ? null : hostKb * 1024;
        Long total = limit == null ? host : host == null ? limit : Math.min(limit, host);
        gauge(out, "node_memory_MemTotal_bytes", "Memory the container may use, in bytes.", total);
        gauge(out, "node_memory_MemFree_bytes", "Memory the container may use and does not, in bytes.",
                total == null || used == null ? null : Math.max(0, total - used));
        gauge(out, "node_memory_MemAvailable_bytes", "Memory the container may use without reclaiming more than inactive file pages, in bytes.",
                total == null || used == null || inactive == null ? null : Math.max(0, total - Math.max(0, used - inactive)));
        gauge(out, "node_memory_Cached_bytes", "The container's page cache, in bytes.", cached);
    }

    private void filesystem(StringBuilder out) {
        if (volume == null) return;
        Path real;
        FileStore store;
        try {
            real = volume.toRealPath();
            store = Files.getFileStore(real);
        } catch (IOException | RuntimeException e) {
            return;
        }
        // The mountinfo entry whose mount point is the longest prefix of the volume; a later entry over the same
        // mount point hides an earlier one.
        String mountpoint = volume.toString(), fstype = store.type(), device = store.name();
        int depth = -1;
        for (String line : lines(Paths.get("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int sep = List.of(f).indexOf("-");
            if (f.length < 5 || sep < 5 || f.length < sep + 3) continue;
            Path mount = Paths.get(unescape(f[4]));
            if (real.startsWith(mount) && mount.getNameCount() >= depth) {
                depth = mount.getNameCount();
                mountpoint = mount.toString();
                fstype = unescape(f[sep + 1]);
                device = unescape(f[sep + 2]);
            }
        }
        String labels = labels("device", device, "fstype", fstype, "mountpoint", mountpoint);
        family(out, "node_filesystem_size_bytes", "gauge", "Filesystem size in bytes.", figure(labels, store::getTotalSpace));
        family(out, "node_filesystem_free_bytes", "gauge", "Filesystem free space in bytes.", figure(labels, store::getUnallocatedSpace));
        family(out, "node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes.", figure(labels, store::getUsableSpace));
        family(out, "node_filesystem_readonly", "gauge", "Filesystem read-only status.", figure(labels, () -> store.isReadOnly() ? 1L : 0L));
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** The container's block I/O: cgroup v2's io.stat, or cgroup v1's blkio throttle counters. */
    private void disks(StringBuilder out) {
        Map<String, long[]> devices = new LinkedHashMap<>(); // read bytes, written bytes, reads, writes
        if (unified != null) {
            for (String line : lines(unified.resolve("io.stat"))) {
                String[] f = words(line);
                if (f.length == 0) continue;
                long[] d = new long[] {-1, -1, -1, -1};
                for (int i = 1; i < f.length; i++) {
                    int at = List.of("rbytes", "wbytes", "rios", "wios").indexOf(f[i].substring(0, Math.max(0, f[i].indexOf('='))));
                    if (at >= 0) d[at] = parse(f[i].substring(f[i].indexOf('=') + 1));
                }
                devices.put(f[0], d);
            }
        } else if (blkio != null) {
            for (int file = 0; file < 2; file++) {
                for (String line : lines(blkio.resolve(file == 0 ? "blkio.throttle.io_service_bytes" : "blkio.throttle.io_serviced"))) {
                    String[] f = words(line); // "MAJ:MIN Read 123"; the last line is "Total N"
                    if (f.length != 3 || !(f[1].equals("Read") || f[1].equals("Write"))) continue;
                    long[] d = devices.computeIfAbsent(f[0], k -> new long[] {-1, -1, -1, -1});
                    d[file * 2 + (f[1].equals("Read") ? 0 : 1)] = parse(f[2]);
                }
            }
        }
        String[][] families = {
            {"node_disk_read_bytes_total", "The total number of bytes the container read."},
            {"node_disk_written_bytes_total", "The total number of bytes the container wrote."},
            {"node_disk_reads_completed_total", "The total number of reads the container completed."},
            {"node_disk_writes_completed_total", "The total number of writes the container completed."},
        };
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < families.length; i++) {
            Map<String, Number> samples = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> d : devices.entrySet()) {
                String device = names.computeIfAbsent(d.getKey(), NodeExporter::deviceName);
                if (d.getValue()[i] >= 0) samples.put(labels("device", device), d.getValue()[i]);
            }
            family(out, families[i][0], "counter", families[i][1], samples);
        }
    }

    /** A block device's name (DEVNAME in its uevent), else its MAJ:MIN. */
    private static String deviceName(String majMin) {
        for (String line : lines(Paths.get("/sys/dev/block", majMin, "uevent"))) {
            if (line.startsWith("DEVNAME=") && line.length() > 8) return line.substring(8).strip();
        }
        return majMin;
    }

    /** One metric family: its HELP and TYPE lines and its samples; nothing at all when no figure could be read. */
    private static void family(StringBuilder out, String name, String type, String help, Map<String, Number> samples) {
        if (samples.isEmpty()) return;
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (Map.Entry<String, Number> s : samples.entrySet()) {
            out.append(name).append(s.getKey()).append(' ').append(format(s.getValue())).append('\n');
        }
    }

    private static void gauge(StringBuilder out, String name, String help, Long value) {
        family(out, name, "gauge", help, value == null ? Map.of() : Map.of("", value));
    }

    private interface Figure {
        Number read() throws IOException;
    }

    private static Map<String, Number> figure(String labels, Figure figure) {
        try {
            return Map.of(labels, figure.read());
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** {k="v",...} with values escaped as the exposition format asks (backslash, double quote, newline). */
    private static String labels(String... pairs) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) s.append(',');
            String v = pairs[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
            s.append(pairs[i]).append("=\"").append(v).append('"');
        }
        return s.append('}').toString();
    }

    private static String format(Number n) {
        if (n instanceof Long) return n.toString();
        double d = n.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static Double ratio(Long value, double per) {
        return value == null ? null : value / per;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String read(Path file) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? "" : lines.get(0).strip();
    }

    private static String[] words(String line) {
        String s = line.strip();
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    /** A file holding one number; null when unreadable or not a number ("max" for no limit). */
    private static Long number(Path file) {
        long v = parse(read(file));
        return v < 0 ? null : v;
    }

    /** The number s holds, else -1: none of the figures read here is negative (cgroup v1 writes -1 for no quota). */
    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** "key value" lines (cpu.stat, memory.stat, /proc/meminfo's "Key: value kB") as numbers. */
    private static Map<String, Long> keyed(Path file) {
        Map<String, Long> map = new HashMap<>();
        for (String line : lines(file)) {
            String[] f = words(line);
            if (f.length < 2) continue;
            long v = parse(f[1]);
            if (v >= 0) map.put(f[0].endsWith(":") ? f[0].substring(0, f[0].length() - 1) : f[0], v);
        }
        return map;
    }
}
