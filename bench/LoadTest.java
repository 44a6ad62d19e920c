import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load client for reelroute's jobs API: submits image + audio jobs evenly spread over a window while N pollers
 * read GET /api/status/{jobId} of the jobs submitted so far, round-robin, and records every read's latency. After
 * the window it keeps polling (reported apart) until every job is terminal or the drain limit passes.
 *
 * <pre>
 * java bench/LoadTest.java --base http://127.0.0.1:PORT --keys KEY1,KEY2 --image in.png --audio in.wav \
 *     [--jobs 200] [--duration 300] [--pollers 50] [--poll-interval-ms 1000] [--drain 900] \
 *     [--warmup-reads 500] [--require-terminal true] [--label text]
 * </pre>
 *
 * Pollers are open-loop: poller i sends at start + i*interval/pollers + k*interval (interval 0: back to back).
 * A read's latency is send to last body byte; "from schedule" also counts the time a read started late, so a
 * stall is not hidden by the pollers waiting on it (coordinated omission). Only 127.0.0.1 is accepted as
 * target. Exit status 1 if any request failed or a job is not terminal (when required), 2 on bad arguments.
 */
public class LoadTest {
    static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    static final Pattern JOB_ID = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"");
    static final List<String> TERMINAL = List.of("COMPLETED", "FAILED", "CANCELLED");

    record Job(int index, String id, String key) {}

    /** Latencies in nanoseconds; one per thread, merged at the end. */
    static final class Recorder {
        long[] values = new long[1024];
        int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        static long[] merge(List<Recorder> recorders) {
            long[] all = new long[recorders.stream().mapToInt(r -> r.size).sum()];
            int at = 0;
            for (Recorder r : recorders) {
                System.arraycopy(r.values, 0, all, at, r.size);
                at += r.size;
            }
            Arrays.sort(all);
            return all;
        }
    }

    final String base;
    final List<String> keys;
    final int jobCount;
    final long windowNanos;
    final int pollers;
    final long intervalNanos;
    final long drainNanos;
    final int warmupReads;
    final boolean requireTerminal;
    final String label;
    final byte[] body;
    final String boundary = "----reelroute-load-" + Long.toHexString(System.nanoTime());

    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    final List<Job> jobs = new CopyOnWriteArrayList<>();
    final Map<String, String> lastStatus = new ConcurrentHashMap<>();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final List<String> errorSamples = new CopyOnWriteArrayList<>();
    final AtomicLong roundRobin = new AtomicLong();
    final List<Recorder> windowReads = new CopyOnWriteArrayList<>();
    final List<Recorder> windowFromSchedule = new CopyOnWriteArrayList<>();
    final List<Recorder> drainReads = new CopyOnWriteArrayList<>();
    final List<Recorder> submits = new CopyOnWriteArrayList<>();
    final LongAdder lateReads = new LongAdder();
    volatile boolean inWindow = true;
    volatile boolean stop;

    LoadTest(Map<String, String> args) throws IOException {
        base = args.getOrDefault("base", "");
        URI uri = URI.create(base);
        if (!"http".equals(uri.getScheme()) || !"127.0.0.1".equals(uri.getHost()) || uri.getPort() < 1) {
            throw new IllegalArgumentException("--base must be http://127.0.0.1:PORT (loopback only): " + base);
        }
        keys = List.of(args.getOrDefault("keys", "").split(","));
        if (keys.isEmpty() || keys.get(0).isBlank()) {
            throw new IllegalArgumentException("--keys KEY[,KEY...] is required");
        }
        jobCount = Integer.parseInt(args.getOrDefault("jobs", "200"));
        windowNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args.getOrDefault("duration", "300")));
        pollers = Integer.parseInt(args.getOrDefault("pollers", "50"));
        intervalNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args.getOrDefault("poll-interval-ms", "1000")));
        drainNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args.getOrDefault("drain", "900")));
        warmupReads = Integer.parseInt(args.getOrDefault("warmup-reads", "500"));
        requireTerminal = Boolean.parseBoolean(args.getOrDefault("require-terminal", "true"));
        label = args.getOrDefault("label", "load");
        if (jobCount < 1 || jobCount > 100_000 || pollers < 1 || pollers > 1000 || windowNanos <= 0
                || intervalNanos < 0 || drainNanos < 0) {
            throw new IllegalArgumentException("jobs 1..100000, pollers 1..1000, duration > 0, interval/drain >= 0");
        }
        body = multipart(Path.of(args.getOrDefault("image", "")), Path.of(args.getOrDefault("audio", "")));
    }

    byte[] multipart(Path image, Path audio) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        for (var part : List.of(Map.entry("image", image), Map.entry("audio", audio))) {
            String name = part.getValue().getFileName().toString();
            String type = name.endsWith(".png") ? "image/png" : name.endsWith(".mp3") ? "audio/mpeg" : "audio/wav";
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.getKey()
                    + "\"; filename=\"" + name + "\"\r\nContent-Type: " + type + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(Files.readAllBytes(part.getValue()));
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    void error(String kind, String detail) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (errorSamples.size() < 10) {
            errorSamples.add(kind + ": " + detail);
        }
    }

    static String exceptionKind(Exception e) {
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (e instanceof ConnectException) {
            return "connect refused";
        }
        return e.getClass().getSimpleName();
    }

    HttpResponse<String> submit(String key) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/jobs"))
                .timeout(Duration.ofSeconds(60))
                .header("X-API-Key", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** One status read; the job's status, or null after recording an error. */
    String read(Job job, Recorder latencies, Recorder fromSchedule, long scheduled) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/status/" + job.id()))
                .timeout(Duration.ofSeconds(30))
                .header("X-API-Key", job.key())
                .GET()
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long end = System.nanoTime();
            if (latencies != null) {
                latencies.add(end - start);
            }
            if (fromSchedule != null) {
                fromSchedule.add(end - Math.min(start, scheduled));
            }
            if (response.statusCode() / 100 != 2) {
                error("status read HTTP " + response.statusCode(), job.id() + " " + response.body());
                return null;
            }
            Matcher m = STATUS.matcher(response.body());
            if (!m.find()) {
                error("status read without a status", response.body());
                return null;
            }
            lastStatus.put(job.id(), m.group(1));
            return m.group(1);
        } catch (IOException e) {
            error("status read " + exceptionKind(e), String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    void submitter(int index, Recorder latencies) {
        String key = keys.get(index % keys.size());
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = submit(key);
            latencies.add(System.nanoTime() - start);
            Matcher id = JOB_ID.matcher(response.body());
            if (response.statusCode() != 201 || !id.find()) {
                error("submit HTTP " + response.statusCode(), response.body());
                return;
            }
            Job job = new Job(index, id.group(1), key);
            lastStatus.put(job.id(), "PENDING");
            jobs.add(job);
        } catch (IOException e) {
            error("submit " + exceptionKind(e), String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void poller(int index, long t0) {
        Recorder window = new Recorder();
        Recorder windowSchedule = new Recorder();
        Recorder drain = new Recorder();
        windowReads.add(window);
        windowFromSchedule.add(windowSchedule);
        drainReads.add(drain);
        long next = t0 + (intervalNanos * index) / pollers;
        while (!stop) {
            long now = System.nanoTime();
            if (intervalNanos > 0 && now < next) {
                sleepNanos(next - now);
                continue;
            }
            long scheduled = intervalNanos > 0 ? next : now;
            if (intervalNanos > 0 && now - next > intervalNanos) {
                lateReads.increment();
            }
            next += intervalNanos;
            int submitted = jobs.size();
            if (submitted == 0) {
                if (intervalNanos == 0) {
                    sleepNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                continue;
            }
            Job job = jobs.get((int) (roundRobin.getAndIncrement() % submitted));
            boolean window0 = inWindow;
            read(job, window0 ? window : drain, window0 ? windowSchedule : null, scheduled);
        }
    }

    static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** JIT and connection warm-up before the clock starts: status reads of one job, not counted anywhere. */
    void warmUp() throws Exception {
        if (warmupReads == 0) {
            return;
        }
        HttpResponse<String> response = submit(keys.get(0));
        Matcher id = JOB_ID.matcher(response.body());
        if (response.statusCode() != 201 || !id.find()) {
            throw new IllegalStateException("warm-up submission failed: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        Job job = new Job(-1, id.group(1), keys.get(0));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(pollers, 8));
        for (int i = 0; i < warmupReads; i++) {
            pool.execute(() -> read(job, null, null, 0));
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        System.out.printf(Locale.ROOT, "warm-up: 1 job (%s, not counted) and %d status reads, errors so far: %d%n",
                job.id(), warmupReads, totalErrors());
        errors.clear();
        errorSamples.clear();
        lastStatus.remove(job.id());
    }

    long totalErrors() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    int run() throws Exception {
        warmUp();
        var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = cpu.getProcessCpuTime();
        long t0 = System.nanoTime();
        ExecutorService pollerPool = Executors.newFixedThreadPool(pollers);
        for (int i = 0; i < pollers; i++) {
            int index = i;
            pollerPool.execute(() -> poller(index, t0));
        }
        // submissions at t0 + i * window / jobs, on a few threads so one slow upload does not delay the next
        ExecutorService submitPool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < jobCount; i++) {
            long at = t0 + (windowNanos * i) / jobCount;
            while (System.nanoTime() < at) {
                sleepNanos(at - System.nanoTime());
            }
            int index = i;
            Recorder r = new Recorder();
            submits.add(r);
            submitPool.execute(() -> submitter(index, r));
        }
        while (System.nanoTime() < t0 + windowNanos) {
            sleepNanos(t0 + windowNanos - System.nanoTime());
        }
        submitPool.shutdown();
        submitPool.awaitTermination(2, TimeUnit.MINUTES);
        inWindow = false;
        long windowEnd = System.nanoTime();
        long windowCpu = cpu.getProcessCpuTime() - cpu0;
        Map<String, Long> atWindowEnd = countStatuses();

        // drain: the pollers go on; stop when every job is terminal (checked from their reads) or at the limit
        long drainStart = System.nanoTime();
        if (requireTerminal) {
            while (System.nanoTime() - drainStart < drainNanos && !allTerminal()) {
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        long drainEnd = System.nanoTime();
        stop = true;
        pollerPool.shutdown();
        pollerPool.awaitTermination(2, TimeUnit.MINUTES);

        // authoritative final pass: one read of every job, not counted in the latencies
        for (Job job : jobs) {
            read(job, null, null, 0);
        }
        Map<String, Long> finalStatuses = countStatuses();
        long nonTerminal = jobs.stream().filter(j -> !TERMINAL.contains(lastStatus.get(j.id()))).count();

        long[] window = Recorder.merge(windowReads);
        long[] windowSched = Recorder.merge(windowFromSchedule);
        long[] drain = Recorder.merge(drainReads);
        long[] submit = Recorder.merge(submits);
        double windowSeconds = (windowEnd - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%n== %s: %d jobs over %.0f s, %d pollers every %d ms, %d key(s), target %s ==%n",
                label, jobCount, windowNanos / 1e9, pollers, TimeUnit.NANOSECONDS.toMillis(intervalNanos),
                keys.size(), base);
        System.out.printf(Locale.ROOT, "status reads during submissions: %d (%.1f/s)  %s%n", window.length,
                window.length / windowSeconds, percentiles(window));
        System.out.printf(Locale.ROOT, "  same, from each read's scheduled time:  %s; reads started > 1 interval late: %d%n",
                percentiles(windowSched), lateReads.sum());
        System.out.printf(Locale.ROOT, "status reads during drain (%.0f s): %d  %s%n", (drainEnd - drainStart) / 1e9,
                drain.length, percentiles(drain));
        System.out.printf(Locale.ROOT, "submissions: %d accepted of %d  %s%n", jobs.size(), jobCount,
                percentiles(submit));
        System.out.printf(Locale.ROOT, "statuses at the end of the submission window: %s%n", atWindowEnd);
        System.out.printf(Locale.ROOT, "final statuses: %s; not terminal: %d%n", finalStatuses, nonTerminal);
        System.out.printf(Locale.ROOT, "load client CPU during the window: %.1f s (%.0f%% of one core)%n",
                windowCpu / 1e9, 100.0 * windowCpu / (windowEnd - t0));
        long errorCount = totalErrors();
        System.out.printf(Locale.ROOT, "errors: %d%s%n", errorCount, errorCount == 0 ? "" : " " + new TreeMap<>(
                errors.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().sum()))));
        errorSamples.forEach(s -> System.out.println("  e.g. " + s));
        System.out.printf(Locale.ROOT, "RESULT %s label=%s reads=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
                        + "errors=%d jobs=%d not_terminal=%d%n",
                errorCount == 0 && (!requireTerminal || nonTerminal == 0) && jobs.size() == jobCount ? "ok" : "FAIL",
                label, window.length, ms(pct(window, 50)), ms(pct(window, 90)), ms(pct(window, 99)),
                ms(window.length == 0 ? 0 : window[window.length - 1]), errorCount, jobs.size(), nonTerminal);
        boolean ok = errorCount == 0 && jobs.size() == jobCount && (!requireTerminal || nonTerminal == 0);
        return ok ? 0 : 1;
    }

    boolean allTerminal() {
        return jobs.size() > 0 && jobs.stream().allMatch(j -> TERMINAL.contains(lastStatus.get(j.id())));
    }

    Map<String, Long> countStatuses() {
        Map<String, Long> counts = new TreeMap<>();
        for (Job job : jobs) {
            counts.merge(String.valueOf(lastStatus.get(job.id())), 1L, Long::sum);
        }
        return counts;
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "(none)";
        }
        return String.format(Locale.ROOT, "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", ms(pct(sorted, 50)),
                ms(pct(sorted, 90)), ms(pct(sorted, 99)), ms(sorted[sorted.length - 1]));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                System.err.println("usage: java bench/LoadTest.java --base http://127.0.0.1:PORT --keys K1,K2 "
                        + "--image in.png --audio in.wav [--jobs N] [--duration S] [--pollers N] "
                        + "[--poll-interval-ms MS] [--drain S] [--warmup-reads N] [--require-terminal B] [--label L]");
                System.exit(2);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        LoadTest test;
        try {
            test = new LoadTest(args);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("LoadTest: " + e.getMessage());
            System.exit(2);
            return;
        }
        int status = test.run();
        System.exit(status);
    }
}
