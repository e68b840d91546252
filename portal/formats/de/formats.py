"""German number formats for the portal: Django's, but integers are never grouped on output.

Most whole numbers a page writes are identifiers, years and page numbers, and in links and
form values ("?nach=1.263", "jahr=2.026") a grouped number is another value: it broke the
paging of every list past id 999 and the year selection of the budgets. Counts that read
better grouped use the `number` filter (sozialraum/templatetags/portal.py), money its own.
Input keeps accepting "1.200.000,00": parsing strips thousand separators independently
(USE_THOUSAND_SEPARATOR), whatever this says about output.
"""

NUMBER_GROUPING = 0
