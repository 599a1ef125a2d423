package dev.hearth.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The outcome of each test in one Node test file, read from the JUnit XML that {@code node --test
 * --test-reporter=junit} writes, so that Maven counts and names Node's tests one by one.
 */
record NodeTestReport(List<Case> cases) {

    /** One test: its name (with the names of enclosing suites), and the failure message if it failed. */
    record Case(String name, Optional<String> failure, boolean skipped) {}

    static NodeTestReport read(Path xml) throws IOException {
        if (!Files.isRegularFile(xml) || Files.size(xml) == 0) {
            return new NodeTestReport(List.of());
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
            List<Case> cases = new ArrayList<>();
            collect(root, "", cases);
            return new NodeTestReport(List.copyOf(cases));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read Node's JUnit report " + xml + ": " + e.getMessage(), e);
        }
    }

    private static void collect(Element element, String prefix, List<Case> into) {
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (!(children.item(i) instanceof Element child)) {
                continue;
            }
            String name = child.getAttribute("name");
            switch (child.getTagName()) {
                case "testsuite" -> collect(child, prefix + name + " > ", into);
                case "testcase" -> {
                    Optional<String> failure = first(child, "failure")
                            .map(f -> (f.getAttribute("message") + "\n" + f.getTextContent()).strip());
                    into.add(new Case(prefix + name, failure, first(child, "skipped").isPresent()));
                }
                default -> collect(child, prefix, into);
            }
        }
    }

    private static Optional<Element> first(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        return found.getLength() == 0 ? Optional.empty() : Optional.of((Element) found.item(0));
    }
}
