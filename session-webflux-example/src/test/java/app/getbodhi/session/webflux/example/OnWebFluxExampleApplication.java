package app.getbodhi.session.webflux.example;

import app.getbodhi.session.spring.testing.BlockHoundInstalled;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Runs a test class of the shared example tests ({@code session-example-support}'s test-jar)
 * against this application on Netty on a random port, BlockHound installed (a blocking call on an
 * event loop fails the request, and with it the test). Every class so annotated shares one
 * application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = WebFluxExampleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(BlockHoundInstalled.class)
@interface OnWebFluxExampleApplication {}
