using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Buurtcentra.EndToEnd;

/// <summary>What every page visited in a browser test must satisfy.</summary>
public static class PageChecks
{
    /// <summary>
    /// axe-core reports zero WCAG 2.0/2.1 A and AA violations, nothing scrolls sideways at 360 px, and nothing with a
    /// <c>hidden</c> attribute shows (a component's own display rule must not win over it).
    /// </summary>
    public static async Task AssertAccessibleAsync(this IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} – {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}").ToList();
        Assert.True(violations.Count == 0, $"axe violations on {page.Url}:\n{string.Join("\n", violations)}");

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        if (overflow > 0)
        {
            var culprits = await page.EvaluateAsync<string>("""
                () => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' "' + (e.textContent || '').trim().slice(0, 40) + '"').join('; ')
                """);
            Assert.Fail($"{page.Url} scrolls sideways by {overflow}px at {page.ViewportSize?.Width}px width: {culprits}");
        }

        var shownHidden = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[hidden]')]
                .filter(e => e.checkVisibility())
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + [...e.classList].map(c => '.' + c).join('') + ' "' + (e.textContent || '').trim().slice(0, 60) + '"')
            """);
        Assert.True(shownHidden.Length == 0, $"{page.Url} shows elements that have the hidden attribute: {string.Join("; ", shownHidden)}");
    }
}
