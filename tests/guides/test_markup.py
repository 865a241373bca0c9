from mentoring.guides.markup import render_markdown


def test_markdown_strips_scripts_and_event_handlers():
    html = str(render_markdown('Hallo <script>alert(1)</script><img src=x onerror="alert(2)">'))
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "onerror" not in html
    assert "<img" not in html


def test_markdown_drops_javascript_links_and_marks_links_noopener():
    html = str(
        render_markdown("[kwaad](javascript:alert(1)) [goed](https://stichting-leerkracht.nl)")
    )
    assert "javascript:" not in html
    assert 'href="https://stichting-leerkracht.nl"' in html
    assert 'rel="noopener noreferrer"' in html


def test_markdown_renders_lists_and_emphasis():
    html = str(render_markdown("**vet**\n\n- een\n- twee"))
    assert "<strong>vet</strong>" in html
    assert html.count("<li>") == 2
