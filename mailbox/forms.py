from django import forms


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def page_number(self) -> int:
        if self.is_valid():
            return self.cleaned_data["page"] or 1
        return 1
