package dev.reelroute;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;

/**
 * The rules of the house (docs/architecture.md). Each is frozen: the violations that existed when it was written
 * are recorded in src/test/resources/archunit_store and may only go away; a new one fails the build.
 */
@AnalyzeClasses(packages = "dev.reelroute", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noTwoPackagesImportEachOther = FreezingArchRule.freeze(
            slices().matching("dev.reelroute.(*)..").should().beFreeOfCycles());

    @ArchTest
    static final ArchRule nothingBelowTheWebLayerImportsIt = FreezingArchRule.freeze(
            noClasses().that().resideOutsideOfPackage("dev.reelroute.api..")
                    .should().dependOnClassesThat().resideInAPackage("dev.reelroute.api..")
                    .because("the web layer (error bodies, API exceptions, headers, multipart, principals) sits on "
                            + "top: domain code throws domain exceptions that the web layer maps"));

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
