package dev.reelroute;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.Slice;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The rules of the house (docs/architecture.md): a change that breaks one fails the build. */
@AnalyzeClasses(packages = "dev.reelroute", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The shared core: what every job kind uses. */
    static final String[] CORE = {"dev.reelroute.job..", "dev.reelroute.media..", "dev.reelroute.storage..",
            "dev.reelroute.security..", "dev.reelroute.webhook..", "dev.reelroute.provider..", "dev.reelroute.tokens..",
            "dev.reelroute.idempotency..", "dev.reelroute.recovery..", "dev.reelroute.broker..", "dev.reelroute.config.."};
    /** One package per job kind: its surface bean, planner, FFmpeg commands and views. */
    static final String[] JOB_KINDS = {"dev.reelroute.imageaudio..", "dev.reelroute.prompt..",
            "dev.reelroute.styletransfer..", "dev.reelroute.project.."};
    /** The web layer: error bodies, API exceptions and their mapper, headers, body parsing, principals, filters. */
    static final String[] WEB = {"dev.reelroute.web.."};
    /** The surfaces: REST and JMS beans, views, live reads, pages. */
    static final String[] SURFACES = {"dev.reelroute.api..", "dev.reelroute.live.."};

    /** One violation per pair of packages that import each other, named by the pair. */
    @ArchTest
    static final ArchRule noTwoPackagesImportEachOther =
            slices().matching("dev.reelroute.(*)..").should(notImportAPackageThatImportsThem());

    @ArchTest
    static final ArchRule theCoreImportsNoJobKind =
            noClasses().that().resideInAnyPackage(CORE)
                    .should().dependOnClassesThat().resideInAnyPackage(JOB_KINDS)
                    .because("job kinds use the core; the core knows no kind");

    @ArchTest
    static final ArchRule noJobKindImportsAnother =
            slices().matching("dev.reelroute.(*)..").that(areJobKinds()).should().notDependOnEachOther()
                    .because("each kind stands on the core alone; what two kinds share belongs in the core");

    @ArchTest
    static final ArchRule nothingBelowTheWebLayerImportsIt =
            noClasses().that().resideInAnyPackage(CORE)
                    .should().dependOnClassesThat().resideInAnyPackage(concat(WEB, SURFACES))
                    .because("domain code throws domain exceptions that the web layer maps to each surface's answer");

    @ArchTest
    static final ArchRule theWebLayerKnowsNoSurfaceOrKind =
            noClasses().that().resideInAnyPackage(WEB)
                    .should().dependOnClassesThat().resideInAnyPackage(concat(SURFACES, JOB_KINDS))
                    .because("the web layer is shared by every surface and kind");

    @ArchTest
    static final ArchRule onlyOpsTouchesMicrometer =
            noClasses().that().resideOutsideOfPackage("dev.reelroute.ops..")
                    .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                    .because("metrics come from ops observing the service, not from domain code");

    @ArchTest
    static final ArchRule nothingCallsIntoOps =
            noClasses().that().resideOutsideOfPackage("dev.reelroute.ops..")
                    .should().dependOnClassesThat().resideInAPackage("dev.reelroute.ops..")
                    .because("ops observes the service (health, metrics, Hawtio); the service does not call it");

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

    private static DescribedPredicate<Slice> areJobKinds() {
        Set<String> kinds = Arrays.stream(JOB_KINDS)
                .map(kind -> kind.substring("dev.reelroute.".length(), kind.length() - "..".length()))
                .collect(Collectors.toSet());
        return DescribedPredicate.describe("are job kinds " + kinds, slice -> kinds.contains(slice.getNamePart(1)));
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

    private static String[] concat(String[] first, String[] second) {
        return Stream.concat(Arrays.stream(first), Arrays.stream(second)).toArray(String[]::new);
    }
}
