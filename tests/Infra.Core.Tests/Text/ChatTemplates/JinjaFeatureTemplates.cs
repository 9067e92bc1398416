namespace Infra.Core.Tests.Text.ChatTemplates;

/// <summary>
/// Small templates, one or two features each, rendered by both sides over a four-message conversation (system, user,
/// assistant, user, assistant) with <c>bos_token</c> "&lt;s&gt;". Together they cover what HF chat templates use.
/// </summary>
internal static class JinjaFeatureTemplates
{
    public static IReadOnlyList<string> All { get; } =
    [
        // Output, whitespace control, comments, trim_blocks and lstrip_blocks.
        "{{ bos_token }}A  {{- ' B ' -}}  C{# comment #} D {#- trimmed -#} E",
        "{% for m in messages %}\n    {{ m.role }}\n{% endfor %}\nend",
        "  {% if true %}\n  x\n  {% endif %}\n  {{ 'y' }}\n",
        "{%- if messages -%}\n\n  yes  \n\n{%- endif -%}\n|",
        // Conditionals and truthiness.
        "{% if none %}a{% elif '' %}b{% elif [] %}c{% elif 0 %}d{% elif {} %}e{% elif 0.0 %}f{% else %}g{% endif %}",
        "{% if messages[0]['role'] == 'system' and not (messages | length) < 2 or False %}sys{% endif %}",
        "{{ 'a' if messages else 'b' }}{{ 'c' if [] else 'd' }}{{ 1 if true }}|",
        // Loops: loop variables, previtem, else, filters in for, break/continue, dict iteration, tuples.
        "{% for m in messages %}{{ loop.index0 }}/{{ loop.index }}/{{ loop.length }}/{{ loop.first }}/{{ loop.last }}/{{ loop.revindex }} {% endfor %}",
        "{% for m in messages %}{% if loop.previtem is defined %}{{ loop.previtem.role }}>{% endif %}{{ m.role }} {% endfor %}",
        "{% for m in [] %}x{% else %}empty{% endfor %}",
        "{% for m in messages if m.role != 'system' %}{{ m.role[0] }}{% endfor %}",
        "{% for m in messages %}{% if loop.index0 == 1 %}{% continue %}{% endif %}{% if loop.index0 == 3 %}{% break %}{% endif %}{{ loop.index0 }}{% endfor %}",
        "{% for k, v in {'a': 1, 'b': [2, 3]}.items() %}{{ k }}={{ v }};{% endfor %}{% for k in {'x': 1, 'y': 2} %}{{ k }}{% endfor %}",
        // set, block set, namespace, scoping.
        "{% set x = 1 %}{% for m in messages %}{% set x = x + 1 %}{% endfor %}{{ x }}",
        "{% set ns = namespace(count=0, last='') %}{% for m in messages %}{% set ns.count = ns.count + 1 %}{% set ns.last = m.role %}{% endfor %}{{ ns.count }} {{ ns.last }}",
        "{% set block %}  Hello {{ messages[1].content }}  {% endset %}[{{ block }}]",
        "{% set a, b = 1, 'two' %}{{ a }}{{ b }}",
        // Macros and call blocks.
        "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('you') }} {{ greet('all', punct='?') }}",
        "{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}inside{% endcall %}",
        "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k='v') }}",
        // String filters and methods.
        "{{ '  Hi There  ' | trim }}|{{ 'abc' | upper }}|{{ 'ABC' | lower }}|{{ 'hello world' | title }}|{{ 'hELLO' | capitalize }}",
        "{{ 'a-b-c' | replace('-', '+') }}|{{ 'aaa' | replace('a', 'b', 2) }}|{{ 'abc' | length }}|{{ 'x' | string }}",
        "{{ '  x  '.strip() }}|{{ '  x  '.rstrip() }}|{{ '  x  '.lstrip() }}|{{ 'Abc'.upper() }}{{ 'Abc'.lower() }}|{{ 'a b'.title() }}",
        "{{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('x', 'lo')) }} {{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a b c'.split(' ', 1) }}",
        "{{ 'line1\\nline2\\n\\nline4' | indent }}|{{ 'l1\\nl2' | indent(2, true) }}|{{ 'ab'.replace('b', 'c') }}",
        "{{ 'abcdef'[1:3] }}|{{ 'abcdef'[::-1] }}|{{ 'abcdef'[-2:] }}|{{ messages[::-1][0].role }}|{{ messages[1:][0].role }}|{{ 'abc'[0] }}{{ 'abc'[-1] }}",
        // List filters.
        "{{ messages | length }}|{{ (messages | first).role }}|{{ (messages | last).role }}|{{ [3, 1, 2] | sort }}|{{ ['b', 'A', 'c'] | sort }}|{{ [1, 2] | reverse | list }}",
        "{{ ['a', 'b'] | join }}|{{ ['a', 'b'] | join(', ') }}|{{ [1, 1, 2, 'x', 'x'] | unique | list }}|{{ 'abc' | join('-') }}",
        "{{ messages | selectattr('role', 'equalto', 'user') | list | length }}|{{ messages | rejectattr('role', 'equalto', 'user') | map(attribute='role') | join(',') }}",
        "{{ messages | map(attribute='role') | list }}|{{ messages | selectattr('content') | list | length }}",
        "{{ messages | sort(attribute='role') | map(attribute='role') | join(' ') }}|{{ [3, 1, 2] | sort(reverse=true) }}",
        // Numbers.
        "{{ 7 // 2 }} {{ 7 % 3 }} {{ 7 / 2 }} {{ 2 ** 3 }} {{ -3 | abs }} {{ 2.5 | int }} {{ '42' | int }} {{ '3.5' | float }} {{ 1.0 }} {{ 1 + 2.0 }} {{ 10 - 3 * 2 }}",
        "{{ 'x' | int }} {{ 'x' | int(7) }} {{ 3 | float }} {{ 3 | string }} {{ true | int }} {{ 1 == 1.0 }} {{ 2 > 1 }} {{ 1 != 2 }} {{ 5 >= 5 }}",
        // tojson and dicts.
        "{{ messages[0] | tojson }}|{{ {'b': 1, 'a': [1, 2.5, none, true]} | tojson }}|{{ '日本 \"q\"' | tojson }}",
        "{{ {'b': 1, 'a': {'c': []}} | tojson(indent=2) }}|{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}|{{ 'é' | tojson(ensure_ascii=true) }}",
        "{{ {'a': 1}.get('a') }} {{ {'a': 1}.get('b', 'dflt') }} {{ {'a': 1}.get('b') }} {{ {'a': 1, 'b': 2}.keys() | list }} {{ {'a': 1}.values() | list }} {{ {'b': 1, 'a': 2} | dictsort }} {{ {'a': 1} | items | list }}",
        "{{ messages[0] }}|{{ [1, 'a', none] }}|{{ {'k': true} }}",
        // Tests.
        "{{ x is defined }} {{ x is undefined }} {{ none is none }} {{ 'a' is string }} {{ 1 is number }} {{ 1.5 is number }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is iterable }} {{ [] is sequence }}",
        "{{ true is boolean }} {{ true is true }} {{ false is false }} {{ 0 is false }} {{ messages is not string }} {{ 3 is odd }} {{ 4 is even }} {{ 1 is integer }}",
        "{{ 'a' in 'abc' }} {{ 'z' not in 'abc' }} {{ 'role' in messages[0] }} {{ 2 in [1, 2] }} {{ 'q' in undefined_thing }}",
        // Concatenation, default, undefined.
        "{{ 'a' ~ 1 ~ true ~ 1.5 }}|{{ 'a' + 'b' }}|{{ [1] + [2] }}|{{ missing | default('dflt') }}|{{ '' | default('dflt', true) }}|{{ missing }}|{{ missing.attr.deeper }}",
        "{{ messages[0]['missing'] is defined }}|{{ messages[9] is defined }}|{{ (messages[0].content ~ '!') | upper }}",
        // raise_exception, errors the reference raises, and range.
        "{% if messages | length > 3 %}{{ raise_exception('Too many messages: ' ~ (messages | length)) }}{% endif %}",
        "{{ 'a' + none }}",
        "{% for i in range(3) %}{{ i }}{% endfor %}|{% for i in range(1, 10, 3) %}{{ i }}{% endfor %}|{% for i in range(3, 0, -1) %}{{ i }}{% endfor %}",
        // Filter blocks, generation tags, escapes.
        "{% filter upper %}shout {{ messages[1].content }}{% endfilter %}",
        "{% generation %}kept{% endgeneration %}|{%- generation -%}  trimmed  {%- endgeneration -%}|",
        "{{ '\\u00e9\\x41\\t\\\\' }}{{ \"it's\" }}{{ 'a' 'b' }}",
        "{{- '<|im_start|>' + messages[0].role + '\\n' + messages[0].content | trim + '<|im_end|>\\n' }}",
        // Lexer corners: braces inside strings and nested dicts, signed literals, unary minus, not with is.
        "{{ '}}' }}|{{ {'a': {'b': 1}} }}|{{ {'a': {'b': 1}}['a']['b'] }}|{{ -1 }}|{{ [1, 2, 3][-1] }}|{{ 3 - -1 }}|{{ -(2) }}|{{ not missing is defined }}",
        "{%- set x = 5 -%}\n   {{ x }}   \n{%- if x > 3 -%}\n  big\n{%- endif %}\n{# note -#}\n   tail",
        "{% for m in messages %}{{ '\\n' if not loop.first }}{{ m.role | upper }}: {{ m.content }}{% endfor %}",
        "{{ messages | selectattr('role', 'equalto', 'assistant') | map(attribute='content') | join('|') }}{{ (messages | map(attribute='role') | unique | list) | length }}",
        "{% set ns = namespace(a=[]) %}{% for m in messages %}{% set ns.a = ns.a + [m.role] %}{% endfor %}{{ ns.a | join(',') }}{{ ns.a[1:3] }}",
        "{{ messages[0].content.split(' ')[0] }}|{{ messages[1].content[:2] }}|{{ messages[1]['content'] | length > 1 }}|{{ 'x' * 3 if false else 'y' }}",
        "{% if messages[-1].role == 'assistant' and add_generation_prompt %}both{% elif add_generation_prompt %}prompt{% endif %}",
        "{{ 10 / 4 }} {{ 10 // 4 }} {{ 2 ** -1 }} {{ 0.1 + 0.2 }} {{ 1e3 if false else 1000000 * 1000000 }} {{ 3.0 * 2 }} {{ 7.5 % 2 }}",
        "{{ messages[0] is mapping }} {{ messages is sequence }} {{ 'a' is lower }} {{ 'A' is upper }} {{ messages[0].role is string and messages[0].content is not none }}",
        "{% macro r(n) %}{% if n > 0 %}{{ n }}{{ r(n - 1) }}{% endif %}{% endmacro %}{{ r(3) }}",
        "{{ bos_token ~ eos_token }}{{ bos_token + 'x' }}{{ eos_token | length }}",
    ];
}
