package dev.reelroute.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicate's predictions API. The model is either a version id ({@code "<64 hex>"} or
 * {@code "owner/name:<version>"}), sent as {@code POST /v1/predictions {"version", "input"}}, or an official
 * model {@code "owner/name"}, sent as {@code POST /v1/models/owner/name/predictions {"input"}}. Polls follow
 * {@code urls.get} and cancels {@code urls.cancel} when the provider gave them (and they are https, or http to
 * the base host), else {@code /v1/predictions/{id}[/cancel]}.
 */
public class ReplicateProvider implements RemoteVideoProvider {
    private static final Logger log = LoggerFactory.getLogger(ReplicateProvider.class);
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern LINE_BREAKS = Pattern.compile("\\r?\\n|\\r");

    private record Urls(URI get, URI cancel) {
    }

    private final ProviderHttp http;
    private final Map<String, Urls> urls = new ConcurrentHashMap<>();

    public ReplicateProvider(ProviderHttp http) {
        this.http = http;
    }

    @Override
    public String name() {
        return "replicate";
    }

    @Override
    public RemotePrediction submit(RemoteClipRequest r) throws ProviderException {
        String model = r.model().strip();
        Map<String, Object> body = new LinkedHashMap<>();
        URI uri;
        int colon = model.indexOf(':');
        if (colon < 0 && isOwnerName(model)) {
            uri = http.api("/v1/models/" + model + "/predictions");
        } else {
            String version = colon < 0 ? model : model.substring(colon + 1);
            if (!SEGMENT.matcher(version).matches()) {
                throw ProviderException.input(0, "replicate model must be owner/name, owner/name:version or a "
                        + "version id");
            }
            uri = http.api("/v1/predictions");
            body.put("version", version);
        }
        body.put("input", r.input());
        return prediction(http.sendJson("create-prediction", "POST", uri, body));
    }

    @Override
    public RemotePrediction poll(String id) throws ProviderException {
        Urls known = urls.get(id);
        URI uri = known != null && known.get() != null ? known.get() : http.api("/v1/predictions/" + checkId(id));
        return prediction(http.sendJson("poll", "GET", uri, null));
    }

    @Override
    public void cancel(String id) throws ProviderException {
        Urls known = urls.get(id);
        URI uri = known != null && known.cancel() != null ? known.cancel()
                : http.api("/v1/predictions/" + checkId(id) + "/cancel");
        ProviderHttp.Response response = http.exchange("cancel", "POST", uri, null);
        if (!response.ok()) {
            throw http.failure(response);
        }
        // a cancelled prediction is usually not polled again, so its URLs would never be forgotten otherwise
        urls.remove(id);
    }

    @Override
    public Path download(String outputUrl, Path target, long maxBytes) throws ProviderException {
        return http.download(http.followable(outputUrl, "output URL"), target, maxBytes);
    }

    private static boolean isOwnerName(String model) {
        String[] parts = model.split("/", -1);
        return parts.length == 2 && Arrays.stream(parts).allMatch(p -> SEGMENT.matcher(p).matches());
    }

    private static String checkId(String id) {
        if (id == null || !SEGMENT.matcher(id).matches()) {
            throw ProviderException.input(0, "not a replicate prediction id");
        }
        return id;
    }

    private RemotePrediction prediction(JsonNode node) {
        String id = text(node, "id");
        String rawStatus = text(node, "status");
        if (id == null || rawStatus == null) {
            throw ProviderException.malformed("malformed response from replicate: prediction without id or status",
                    null);
        }
        checkId(id);
        String status = switch (rawStatus) {
            case "starting" -> RemotePrediction.QUEUED;
            case "processing", "canceling" -> RemotePrediction.RUNNING;
            case "succeeded" -> RemotePrediction.SUCCEEDED;
            case "failed" -> RemotePrediction.FAILED;
            case "canceled", "aborted" -> RemotePrediction.CANCELED;
            default -> throw ProviderException.malformed("malformed response from replicate: unknown status '"
                    + http.redact(rawStatus) + "'", null);
        };
        List<String> logs = List.of();
        JsonNode logsNode = node.get("logs");
        if (logsNode != null && logsNode.isTextual()) {
            logs = LINE_BREAKS.splitAsStream(http.redact(logsNode.asText()))
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
        }
        Integer progress = RemotePrediction.SUCCEEDED.equals(status) ? Integer.valueOf(100) : Progress.lastPercent(logs);
        String output = null;
        if (RemotePrediction.SUCCEEDED.equals(status)) {
            String raw = firstUrl(node.get("output"));
            if (raw == null) {
                throw ProviderException.malformed("malformed response from replicate: prediction " + id
                        + " succeeded without an output URL", null);
            }
            output = http.followable(raw, "output URL").toString();
        }
        String error = null;
        JsonNode errorNode = node.get("error");
        if (errorNode != null && !errorNode.isNull()) {
            error = http.redact(errorNode.isTextual() ? errorNode.asText() : errorNode.toString());
        }
        if (RemotePrediction.FAILED.equals(status) && (error == null || error.isBlank())) {
            error = "replicate reported the prediction failed without an error message";
        }
        remember(id, node.get("urls"), status);
        return new RemotePrediction(id, status, progress, logs, output, error);
    }

    private void remember(String id, JsonNode urlsNode, String status) {
        if (RemotePrediction.SUCCEEDED.equals(status) || RemotePrediction.FAILED.equals(status)
                || RemotePrediction.CANCELED.equals(status)) {
            urls.remove(id);
            return;
        }
        if (urlsNode == null || !urlsNode.isObject()) {
            return;
        }
        urls.put(id, new Urls(link(urlsNode, "get"), link(urlsNode, "cancel")));
    }

    private URI link(JsonNode urlsNode, String field) {
        String raw = text(urlsNode, field);
        if (raw == null) {
            return null;
        }
        try {
            URI uri = http.followable(raw, "urls." + field);
            if (!http.sameOrigin(uri)) {
                log.warn("replicate urls.{} points to {}, not the API origin; using the default URL instead",
                        field, ProviderHttp.safe(uri));
                return null;
            }
            return uri;
        } catch (ProviderException e) {
            log.warn("ignoring replicate urls.{}: {}", field, e.getMessage());
            return null;
        }
    }

    private static String firstUrl(JsonNode output) {
        if (output == null || output.isNull()) {
            return null;
        }
        if (output.isTextual()) {
            return output.asText();
        }
        if (output.isArray()) {
            for (JsonNode item : output) {
                if (item.isTextual()) {
                    return item.asText();
                }
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
