package dev.reelroute.provider;

import static dev.reelroute.provider.ProviderTestSupport.TOKEN;
import static dev.reelroute.provider.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.storage.FilesystemStorage;
import dev.reelroute.support.StorageRoutes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

/**
 * The model catalog as application.yaml ships it: what a job may ask for, the messages the API answers with, and
 * the provider request each model's input mapping makes (images as data: URIs).
 */
class ModelCatalogTest {
    private static final String VEO = "veo-3.1-fast-generate-preview";
    private static final String KLING = "kling-v2.1";
    private static final String SVD = "stable-video-diffusion";

    @TempDir
    Path dir;
    ModelCatalogProperties shipped;
    ProviderProperties providers;
    ModelCatalog catalog;
    FilesystemStorage storage;
    ImageDataUris images;
    StorageRoutes storageRoutes;

    @BeforeEach
    void bindShippedConfiguration() throws Exception {
        MutablePropertySources sources = new MutablePropertySources();
        for (PropertySource<?> source : new YamlPropertySourceLoader()
                .load("application.yaml", new ClassPathResource("application.yaml"))) {
            sources.addLast(source);
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources));
        shipped = binder.bind("reelroute", ModelCatalogProperties.class).get();
        ProviderProperties bound = binder.bind("reelroute.providers", ProviderProperties.class).get();
        // replicate has a token here, fal has none
        providers = new ProviderProperties(withToken(bound.replicate(), TOKEN), withToken(bound.fal(), ""),
                bound.circuitBreaker(), DataSize.ofKilobytes(64), bound.maxOutputBytes(), bound.maxLogLines());
        catalog = new ModelCatalog(shipped, providers);
        storageRoutes = new StorageRoutes();
        storage = storageRoutes.serve(producer -> new FilesystemStorage(dir.resolve("storage"), producer));
        images = new ImageDataUris(storage, new MediaSniffer(), providers);
    }

    @AfterEach
    void stopStorageRoutes() {
        storageRoutes.close();
    }

    private static ProviderProperties.Endpoint withToken(ProviderProperties.Endpoint e, String token) {
        return new ProviderProperties.Endpoint(e.baseUrl(), token, e.connectTimeout(), e.readTimeout(),
                e.maxRetries(), e.initialBackoff(), e.maxBackoff(), e.pollInterval(), e.maxWait());
    }

    private static PromptSpec spec(String model, String image, String endFrame, List<String> references,
                                   boolean audio, int seconds) {
        return new PromptSpec("a red fox runs through fresh snow", null, model, "1080p", "16:9", seconds, false,
                audio, image, endFrame, references);
    }

    /** A square PNG of noise, so that its size grows with its side. */
    private String storedPng(String key, int side) throws IOException {
        Path file = dir.resolve(key.replace('/', '-'));
        BufferedImage noise = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(side);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                noise.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ImageIO.write(noise, "png", file.toFile());
        storage.put(key, file, "image/png");
        return key;
    }

    private String dataUriOf(String key) throws IOException {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(
                Files.readAllBytes(storage.localFile(key, dir)));
    }

    @Test
    void theShippedCatalogBindsWithItsProvidersIdsAndPrices() {
        assertThat(catalog.names()).containsExactly(VEO, "veo-3.1-generate-preview", KLING, SVD);
        ModelEntry kling = catalog.find(KLING).orElseThrow();
        assertThat(kling.provider()).isEqualTo(ProviderName.FAL);
        assertThat(kling.providerModel()).isEqualTo("fal-ai/kling-video/v2.1/standard/image-to-video");
        assertThat(kling.inputs().durationValues()).isEqualTo(Map.of("4", "5", "8", "10"));
        assertThat(kling.inputs().required()).containsExactly(ModelInput.PROMPT, ModelInput.INITIAL_IMAGE);
        assertThat(kling.costUsd(8)).hasToString("0.5600");
        ModelEntry veo = catalog.find(VEO).orElseThrow();
        assertThat(veo.provider()).isEqualTo(ProviderName.REPLICATE);
        assertThat(veo.tokens()).isEqualTo(50);
        assertThat(veo.costUsd(4)).hasToString("0.6000");
        assertThat(catalog.find(SVD).orElseThrow().providerModel()).startsWith("stability-ai/stable-video-diffusion:");
    }

    @Test
    void anUnknownModelIsRefusedWithTheNamesOfTheKnownOnes() {
        ModelRefusedException e = catchThrowableOfType(ModelRefusedException.class,
                () -> catalog.require("sora-2"));
        assertThat(e.reason()).isEqualTo(ModelRefusedException.Reason.UNKNOWN_MODEL);
        assertThat(e.getMessage()).isEqualTo("Unknown model 'sora-2'; known models: " + VEO
                + ", veo-3.1-generate-preview, " + KLING + ", " + SVD);
        assertThat(catalog.find("sora-2")).isEmpty();
    }

    @Test
    void aModelWhoseProviderHasNoTokenIsRefusedNamingTheVariableToSet() {
        ModelRefusedException e = catchThrowableOfType(ModelRefusedException.class, () -> catalog.require(KLING));
        assertThat(e.reason()).isEqualTo(ModelRefusedException.Reason.PROVIDER_NOT_CONFIGURED);
        assertThat(e.getMessage()).isEqualTo("Model 'kling-v2.1' runs on fal, which is not configured: set FAL_KEY "
                + "(reelroute.providers.fal.token)");
        // a configured provider's model is given, and no message carries its token
        assertThat(catalog.require(VEO).name()).isEqualTo(VEO);
        assertThat(providers.replicate().toString()).doesNotContain(TOKEN);
    }

    @Test
    void mockModeJobsNeedNoProviderTokenButStillAKnownModel() {
        PromptSpec mock = new PromptSpec("a fox", null, KLING, "720p", "16:9", 4, true, false, "in/a.png", null,
                List.of());
        assertThat(catalog.check(mock).name()).isEqualTo(KLING);
        PromptSpec unknown = new PromptSpec("a fox", null, "nope", "720p", "16:9", 4, true, false, null, null,
                List.of());
        assertThat(catchThrowableOfType(ModelRefusedException.class, () -> catalog.check(unknown)).reason())
                .isEqualTo(ModelRefusedException.Reason.UNKNOWN_MODEL);
    }

    @Test
    void inputsAModelCannotTakeOrLacksAreRefusedSayingWhatToChange() {
        ProviderProperties bothConfigured = new ProviderProperties(providers.replicate(),
                withToken(providers.fal(), "fal-key"), providers.circuitBreaker(), providers.maxImageBytes(),
                providers.maxOutputBytes(), providers.maxLogLines());
        ModelCatalog all = new ModelCatalog(shipped, bothConfigured);

        ModelRefusedException endFrame = catchThrowableOfType(ModelRefusedException.class,
                () -> all.check(spec(KLING, "in/a.png", "in/b.png", List.of(), false, 8)));
        assertThat(endFrame.reason()).isEqualTo(ModelRefusedException.Reason.UNSUPPORTED_INPUT);
        assertThat(endFrame.getMessage()).isEqualTo("Model 'kling-v2.1' does not take an end frame; leave it out, "
                + "or use a model that takes it: veo-3.1-fast-generate-preview, veo-3.1-generate-preview");
        assertThat(catchThrowableOfType(ModelRefusedException.class,
                () -> all.check(spec(VEO, null, null, List.of("in/r.png"), false, 8))).getMessage())
                .isEqualTo("Model 'veo-3.1-fast-generate-preview' does not take reference images; leave it out, "
                        + "or use a model that takes it: veo-3.1-generate-preview");
        assertThat(catchThrowableOfType(ModelRefusedException.class,
                () -> all.check(spec(KLING, "in/a.png", null, List.of(), true, 8))).getMessage())
                .startsWith("Model 'kling-v2.1' does not take generated audio");
        assertThat(catchThrowableOfType(ModelRefusedException.class,
                () -> all.check(spec(KLING, null, null, List.of(), false, 8))).getMessage())
                .isEqualTo("Model 'kling-v2.1' needs an initial image");
        assertThat(catchThrowableOfType(ModelRefusedException.class,
                () -> all.check(spec(SVD, "in/a.png", null, List.of(), false, 8))).getMessage())
                .startsWith("Model 'stable-video-diffusion' does not take a prompt");
        assertThat(catchThrowableOfType(ModelRefusedException.class,
                () -> all.check(spec(KLING, "in/a.png", null, List.of(), false, 6))).getMessage())
                .isEqualTo("Model 'kling-v2.1' cannot make a clip of 6 s; it takes 4 or 8 s");
        assertThat(all.check(spec(VEO, "in/a.png", "in/b.png", List.of(), true, 4)).name()).isEqualTo(VEO);
    }

    @Test
    void veoGetsItsDocumentedReplicateInputWithImagesAsDataUris() throws Exception {
        String image = storedPng("inputs/j1/initial.png", 8);
        String endFrame = storedPng("inputs/j1/end.png", 9);
        ModelInputMapper.Mapped mapped = ModelInputMapper.map(catalog.require(VEO),
                spec(VEO, image, endFrame, List.of(), false, 8), key -> images.dataUri(key, dir));

        assertThat(mapped.request().model()).isEqualTo("google/veo-3.1-fast");
        assertThat(mapped.request().input()).containsExactly(
                Map.entry("prompt", "a red fox runs through fresh snow"),
                Map.entry("image", dataUriOf(image)),
                Map.entry("last_frame", dataUriOf(endFrame)),
                Map.entry("generate_audio", false),
                Map.entry("duration", 8),
                Map.entry("aspect_ratio", "16:9"),
                Map.entry("resolution", "1080p"));
        assertThat(mapped.notes()).isEmpty();
    }

    @Test
    void klingGetsItsDocumentedFalInputAndTheLogSaysWhatTheModelDecides() throws Exception {
        String image = storedPng("inputs/j2/initial.png", 8);
        ModelInputMapper.Mapped mapped = ModelInputMapper.map(catalog.find(KLING).orElseThrow(),
                spec(KLING, image, null, List.of(), false, 4), key -> images.dataUri(key, dir));

        assertThat(mapped.request().model()).isEqualTo("fal-ai/kling-video/v2.1/standard/image-to-video");
        assertThat(mapped.request().input()).containsExactly(
                Map.entry("prompt", "a red fox runs through fresh snow"),
                Map.entry("image_url", dataUriOf(image)),
                Map.entry("duration", "5"));
        assertThat(mapped.notes()).containsExactly(
                "Model kling-v2.1 does not take an aspect ratio; it decides that itself",
                "Model kling-v2.1 does not take a resolution; it decides that itself",
                "Model kling-v2.1 makes clips of 5 s; asked for 4 s");
    }

    @Test
    void aVersionPinnedReplicateModelIsSentAsAVersionWithItsImage() throws Exception {
        String image = storedPng("inputs/j3/initial.png", 8);
        PromptSpec svd = new PromptSpec(null, null, SVD, "720p", "16:9", 4, false, false, image, null, List.of());
        ModelInputMapper.Mapped mapped = ModelInputMapper.map(catalog.require(SVD), svd,
                key -> images.dataUri(key, dir));
        try (ScriptedServer api = new ScriptedServer()) {
            api.on("POST", "/v1/predictions", json(201, "{\"id\":\"svd1\",\"status\":\"starting\"}"));
            new ReplicateProvider(ProviderTestSupport.http("replicate", api.base()))
                    .submit(mapped.request());
            JsonNode body = new ObjectMapper().readTree(api.seen("POST", "/v1/predictions").get(0).body());
            assertThat(body.get("version").asText())
                    .isEqualTo("3f0457e4619daac51203dedb472816fd4af51f3149fa7a9e0b5ffcf1b8172438");
            assertThat(body.get("input").size()).isEqualTo(1);
            assertThat(body.get("input").get("input_image").asText()).isEqualTo(dataUriOf(image));
        } finally {
            ProviderTestSupport.closeRoutes();
        }
    }

    @Test
    void anImageOverTheLimitIsTheUsersToFixAndANonImageIsRefused() throws Exception {
        String big = storedPng("inputs/j4/big.png", 200);
        assertThat(Files.size(storage.localFile(big, dir))).isGreaterThan(providers.maxImageBytes().toBytes());
        RemoteClipException tooLarge = catchThrowableOfType(RemoteClipException.class,
                () -> images.dataUri(big, dir));
        assertThat(tooLarge.userFault()).isTrue();
        assertThat(tooLarge.getMessage()).startsWith("An image of the job is ").endsWith("remote models take images "
                + "up to 0.1 MB");

        Path text = Files.writeString(dir.resolve("notes.txt"), "not an image at all");
        storage.put("inputs/j4/notes.png", text, "image/png");
        assertThat(catchThrowableOfType(IOException.class, () -> images.dataUri("inputs/j4/notes.png", dir)))
                .hasMessageContaining("is not an image");
    }

    @Test
    void aCatalogThatListsAModelTwiceDoesNotStart() {
        ModelEntry veo = catalog.find(VEO).orElseThrow();
        assertThat(catchThrowableOfType(IllegalStateException.class,
                () -> new ModelCatalog(new ModelCatalogProperties(List.of(veo, veo)), providers)))
                .hasMessage("reelroute.models: model 'veo-3.1-fast-generate-preview' is listed twice");
    }
}
