package app.getbodhi.session.service;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.ManagedSessionStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every store method reaches the wrapped store, and every session operation passes the hook a
 * decorator overrides, under its own name: what {@code MeteredSessionStore} times and the tests'
 * counting stores record.
 */
class ForwardingSessionStoreTest {

  /** Not operations on sessions: straight to the wrapped store, never through the hook. */
  private static final Set<String> DIRECT = Set.of("health", "backendName", "close", "refOf");

  /** Inherited defaults built on the paged reads, which pass the hook page by page. */
  private static final Set<String> INHERITED = Set.of("streamAllSessions", "streamSealedSessions");

  private final List<String> reached = new ArrayList<>();
  private final List<String> hooked = new ArrayList<>();

  /** A store that only notes what was called on it and answers with an empty value. */
  private final ManagedSessionStore stub =
      (ManagedSessionStore)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {ManagedSessionStore.class},
              (proxy, method, args) -> {
                reached.add(method.getName());
                return empty(method.getReturnType());
              });

  private final ForwardingSessionStore recording =
      new ForwardingSessionStore(stub) {
        @Override
        protected <T> T forward(String operation, Supplier<T> call) {
          hooked.add(operation);
          return call.get();
        }
      };

  @Test
  void everyOperationPassesTheHookUnderItsNameAndReachesTheStoreOnce() throws Exception {
    for (Method method : storeMethods()) {
      reached.clear();
      hooked.clear();

      method.invoke(recording, arguments(method));

      assertThat(reached).as(method.getName()).containsExactly(method.getName());
      assertThat(hooked)
          .as(method.getName())
          .containsExactlyElementsOf(
              DIRECT.contains(method.getName()) ? List.of() : List.of(operation(method)));
    }
  }

  /** The operation name a method is forwarded under: its own, but for the one overload. */
  private static String operation(Method method) {
    return method.getName().equals("delete")
            && method.getParameterTypes()[0] == app.getbodhi.session.SessionRef.class
        ? "deleteRef"
        : method.getName();
  }

  @Test
  void storeReturnsTheWrappedStore() {
    assertThat(recording.store()).isSameAs(stub);
  }

  private static List<Method> storeMethods() {
    List<Method> methods = new ArrayList<>();
    for (Method method : ManagedSessionStore.class.getMethods()) {
      if (!Modifier.isStatic(method.getModifiers()) && !INHERITED.contains(method.getName())) {
        methods.add(method);
      }
    }
    assertThat(methods).hasSizeGreaterThan(DIRECT.size());
    return methods;
  }

  private static Object[] arguments(Method method) {
    Class<?>[] types = method.getParameterTypes();
    Object[] arguments = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      arguments[i] = empty(types[i]);
    }
    return arguments;
  }

  /** A value of a type that the stub and the forwarding code pass along without looking. */
  private static Object empty(Class<?> type) {
    if (type == int.class) {
      return 0;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == Optional.class) {
      return Optional.empty();
    }
    if (type == List.class) {
      return List.of();
    }
    if (type == String.class) {
      return "stub";
    }
    return null;
  }
}
