package app.getbodhi.session.cli;

import app.getbodhi.session.tests.ModuleLayering;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/**
 * docs/design.md's module layering ({@link ModuleLayering}) over the main classes on this module's
 * classpath: the tool, with the library modules it runs on.
 */
@AnalyzeClasses(
    packages = "app.getbodhi.session",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest static final ArchTests LAYERING = ArchTests.in(ModuleLayering.class);
}
