package dev.reelroute;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.Slice;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of the house (docs/architecture.md). Each is frozen: the violations that existed when it was written
 * are recorded in src/test/resources/archunit_store and may only go away; a new one fails the build.
 */
@AnalyzeClasses(packages = "dev.reelroute", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** One violation per pair of packages, named by the pair alone, so the frozen list is stable as code changes. */
    @ArchTest
    static final ArchRule noTwoPackagesImportEachOther = FreezingArchRule.freeze(
            slices().matching("dev.reelroute.(*)..").should(notImportAPackageThatImportsThem()));

    private static ArchCondition<Slice> notImportAPackageThatImportsThem() {
        return new ArchCondition<>("not import a package that imports them") {
            private final Map<String, Set<String>> imports = new HashMap<>();

            @Override
            public void init(Collection<Slice> slices) {
                for (Slice slice : slices) {
                    Set<String> targets = new TreeSet<>();
                    for (Dependency dependency : slice.getDependenciesFromSelf()) {
                        topLevelPackage(dependency.getTargetClass().getPackageName())
                                .filter(target -> !target.equals(slice.getNamePart(1)))
                                .ifPresent(targets::add);
                    }
                    imports.put(slice.getNamePart(1), targets);
                }
            }

            @Override
            public void check(Slice slice, ConditionEvents events) {
                String name = slice.getNamePart(1);
                for (String target : imports.getOrDefault(name, Set.of())) {
                    if (name.compareTo(target) < 0 && imports.getOrDefault(target, Set.of()).contains(name)) {
                        events.add(SimpleConditionEvent.violated(slice, name + " and " + target + " import each other"));
                    }
                }
            }
        };
    }

    private static Optional<String> topLevelPackage(String packageName) {
        String prefix = "dev.reelroute.";
        if (!packageName.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = packageName.substring(prefix.length());
        int dot = rest.indexOf('.');
        return Optional.of(dot < 0 ? rest : rest.substring(0, dot));
    }

    /** The shared core: what every job kind uses. */
    static final String[] CORE = {"dev.reelroute.job..", "dev.reelroute.media..", "dev.reelroute.storage..",
            "dev.reelroute.security..", "dev.reelroute.webhook..", "dev.reelroute.provider..", "dev.reelroute.tokens..",
            "dev.reelroute.idempotency..", "dev.reelroute.recovery..", "dev.reelroute.broker..", "dev.reelroute.config.."};
    /** One package per job kind: its surface bean, planner, FFmpeg commands and views. */
    static final String[] JOB_KINDS = {"dev.reelroute.styletransfer..", "dev.reelroute.project.."};
    /** The web layer: error bodies, API exceptions, headers, multipart parsing, the servlet filters. */
    static final String[] WEB = {"dev.reelroute.web.."};
    /** The surfaces: REST and JMS beans, views, live reads, pages. */
    static final String[] SURFACES = {"dev.reelroute.api..", "dev.reelroute.live.."};

    @ArchTest
    static final ArchRule theCoreImportsNoJobKind = FreezingArchRule.freeze(
            noClasses().that().resideInAnyPackage(CORE)
                    .should().dependOnClassesThat().resideInAnyPackage(JOB_KINDS)
                    .because("job kinds use the core; the core knows no kind"));

    @ArchTest
    static final ArchRule nothingBelowTheWebLayerImportsIt = FreezingArchRule.freeze(
            noClasses().that().resideInAnyPackage(CORE)
                    .should().dependOnClassesThat().resideInAnyPackage(concat(WEB, SURFACES))
                    .because("domain code throws domain exceptions that the web layer maps to each surface's answer"));

    @ArchTest
    static final ArchRule theWebLayerKnowsNoSurfaceOrKind = FreezingArchRule.freeze(
            noClasses().that().resideInAnyPackage(WEB)
                    .should().dependOnClassesThat().resideInAnyPackage(concat(SURFACES, JOB_KINDS))
                    .because("the web layer is shared by every surface and kind"));

    private static String[] concat(String[] first, String[] second) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(second))
                .toArray(String[]::new);
    }

    @ArchTest
    static final ArchRule onlyOpsTouchesMicrometer = FreezingArchRule.freeze(
            noClasses().that().resideOutsideOfPackage("dev.reelroute.ops..")
                    .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                    .because("metrics come from route policies and event notifiers in ops, not from domain code"));

    @ArchTest
    static final ArchRule nothingCallsIntoOps = FreezingArchRule.freeze(
            noClasses().that().resideOutsideOfPackage("dev.reelroute.ops..")
                    .should().dependOnClassesThat().resideInAPackage("dev.reelroute.ops..")
                    .because("ops observes the service (health, metrics, Hawtio); the service does not call it"));
}
