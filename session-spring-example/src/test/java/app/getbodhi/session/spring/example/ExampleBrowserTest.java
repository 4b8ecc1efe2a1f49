package app.getbodhi.session.spring.example;

import app.getbodhi.session.example.ExampleBrowserTestBase;

/** The Spring MVC example in headless Chromium, on the same context as {@link ExampleHttpTest}. */
@OnExampleApplication
class ExampleBrowserTest extends ExampleBrowserTestBase {}
