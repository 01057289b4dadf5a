package io.spotlight.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on the compiled classes of every module: contract, engine,
 * pipeline and application depend one way only (Maven already refuses an upward import; this names
 * the rule), no package cycle inside or across them, each package lives in one module, and the
 * engine knows nothing of Kafka.
 */
class ModuleBoundariesTest {

    /** The modules, lowest first; a class belongs to the module whose build output holds it. */
    static final List<String> MODULES = List.of("contract", "engine", "pipeline", "streams-app");

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(location -> !location.contains("/test-classes/") && !location.contains("-tests.jar"))
            .importPackages("io.spotlight");

    static String moduleOf(JavaClass c) {
        String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
        for (String m : MODULES) {
            if (uri.contains("/" + m + "/target/") || uri.contains("spotlight-" + m + "-")) {
                return m;
            }
        }
        return "unknown";
    }

    static DescribedPredicate<JavaClass> inModule(String module) {
        return DescribedPredicate.describe("in module " + module, c -> moduleOf(c).equals(module));
    }

    @Test
    void everyClassComesFromAModule() {
        assertThat(CLASSES).isNotEmpty();
        assertThat(CLASSES.stream().filter(c -> moduleOf(c).equals("unknown")).map(JavaClass::getName).toList()).isEmpty();
        assertThat(CLASSES.stream().map(ModuleBoundariesTest::moduleOf).collect(Collectors.toSet())).containsAll(MODULES);
    }

    @Test
    void modulesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("contract").definedBy(inModule("contract"))
                .layer("engine").definedBy(inModule("engine"))
                .layer("pipeline").definedBy(inModule("pipeline"))
                .layer("application").definedBy(inModule("streams-app"))
                .whereLayer("application").mayNotBeAccessedByAnyLayer()
                .whereLayer("pipeline").mayOnlyBeAccessedByLayers("application")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("pipeline", "application")
                .check(CLASSES);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.spotlight.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void eachPackageLivesInOneModule() {
        Map<String, Set<String>> modules = new TreeMap<>();
        CLASSES.forEach(c -> modules.computeIfAbsent(c.getPackageName(), p -> new TreeSet<>()).add(moduleOf(c)));
        assertThat(modules).allSatisfy((pkg, in) -> assertThat(in).as(pkg).hasSize(1));
    }

    @Test
    void theEngineKnowsNothingOfKafka() {
        noClasses().that(inModule("engine")).or(inModule("contract"))
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .check(CLASSES);
    }

    @Test
    void theTopologyHoldsNoMathsAndTheMathsNoKafka() {
        noClasses().that().resideInAPackage("io.spotlight.topology..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("io.spotlight.focus..", "io.spotlight.sampling..", "io.spotlight.explanation..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .check(CLASSES);
    }
}
